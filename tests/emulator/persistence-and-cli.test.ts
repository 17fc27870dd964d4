import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Harness, http, list } from "./harness";

describe("emulator: persistence and CLI", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "megaport-emulator-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("a restart with the same stateFile keeps keys, VXCs, approvals, tokens and the clock", async () => {
    const stateFile = join(dir, "state.json");
    const first = await Harness.start({ stateFile });
    let key: { key: string; productUid: string };
    let uid: string;
    let token: string;
    try {
      key = await first.createKey("west", { preApproved: false });
      uid = await first.buyUid("east", key);
      await first.advance(5_000);
      token = await first.token("east");
      assert.ok(readFileSync(stateFile, "utf8").includes(uid));
    } finally {
      await first.close();
    }
    const second = await Harness.start({ stateFile });
    try {
      const answer = await http(second.url, "GET", `/v2/product/${uid}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(answer.status, 200, "the token survives the restart");
      assert.equal(answer.body.data.vxcApproval.status, "PENDING_EXTERNAL");
      const state = (await second.admin("GET", "/state")).body;
      assert.equal(list(state.serviceKeys).length, 1);
      assert.equal(list(state.approvals).length, 1);
      assert.ok(Number(state.now) >= Date.now() + 4_000, "the clock offset is kept");
    } finally {
      await second.close();
    }
  });

  it("a failed request does not rewrite the state file", async () => {
    const stateFile = join(dir, "failed.json");
    const h = await Harness.start({ stateFile });
    try {
      await h.createKey("west");
      const before = readFileSync(stateFile, "utf8");
      const answer = await h.api("west", "POST", "/v2/service/key", {
        productUid: h.account("west").products.port1G,
        maxSpeed: 99999,
      });
      assert.equal(answer.status, 400);
      assert.equal(readFileSync(stateFile, "utf8"), before);
    } finally {
      await h.close();
    }
  });

  it("loads a seed from a JSON file", async () => {
    const seedFile = join(dir, "seed.json");
    writeFileSync(
      seedFile,
      JSON.stringify({
        companies: [
          {
            name: "solo",
            companyName: "Solo Company",
            companyUid: "50100000-0000-4000-8000-000000000001",
            companyId: 5,
            apiKeys: [{ accessKey: "solo", secretKey: "solo-secret" }],
            products: [
              {
                nickname: "port1G",
                productUid: "50100000-0001-4000-8000-000000000001",
                productId: 51,
                productName: "Solo 1G",
                productType: "MEGAPORT",
                portSpeed: 1000,
              },
            ],
          },
        ],
      }),
    );
    const h = await Harness.start({ seed: seedFile });
    try {
      assert.deepEqual(Object.keys(h.emulator.accounts), ["solo"]);
      assert.equal(h.account("solo").products.port1G, "50100000-0001-4000-8000-000000000001");
      assert.equal((await h.api("solo", "GET", "/v2/products")).status, 200);
    } finally {
      await h.close();
    }
  });

  describe("CLI", () => {
    let child: ChildProcess | undefined;
    after(() => {
      child?.kill("SIGTERM");
    });

    it("prints the listening line first, then the accounts and MEGAPORT_EMULATOR_ACCOUNTS; SIGTERM exits 0", async () => {
      const cli = join(__dirname, "..", "..", "emulator", "cli.js");
      const started = Date.now();
      child = spawn(process.execPath, [cli, "--port", "0", "--provisioning-delay-ms", "10"], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      await new Promise<void>((resolve, reject) => {
        child?.stdout?.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes("MEGAPORT_EMULATOR_ACCOUNTS=")) resolve();
        });
        child?.once("exit", (code) => reject(new Error(`exited ${code}: ${output}`)));
      });
      const startup = Date.now() - started;
      const lines = output.trim().split("\n");
      assert.match(lines[0], /^Megaport emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
      const url = lines[0].replace("Megaport emulator listening on ", "");
      assert.ok(
        lines.some((l) => l.startsWith("account east (East Company) accessKey=east-access-key-0001")),
      );
      const json = lines.find((l) => l.startsWith("MEGAPORT_EMULATOR_ACCOUNTS=")) ?? "";
      const accounts = JSON.parse(json.slice("MEGAPORT_EMULATOR_ACCOUNTS=".length));
      assert.equal(accounts.west.companyName, "West Company");
      assert.equal(typeof accounts.west.products.mcr, "string");
      const answer = await http(url, "GET", "/_emulator/state");
      assert.equal(answer.status, 200);
      assert.ok(startup < 3000, `started in ${startup} ms`);
      const exitCode = await new Promise<number | null>((resolve) => {
        child?.removeAllListeners("exit");
        child?.once("exit", (code) => resolve(code));
        child?.kill("SIGTERM");
      });
      assert.equal(exitCode, 0);
      child = undefined;
    });
  });
});
