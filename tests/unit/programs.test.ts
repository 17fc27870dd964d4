import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

// Every Pulumi program in the repository runs itself under plain `pulumi up` (issue 16), checked
// without any language host: the entry point is resolved by the rule of the CLI and of
// @pulumi/pulumi's `cmd/run` (docs/engine.md, "Which file `pulumi up` runs"), and every example is
// type-checked as its own project, with the TypeScript it pins.

/** The repository root (this file is compiled to `dist/tests/unit/`). */
const repoRoot = path.resolve(__dirname, "..", "..", "..");
const rootPackage = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
const tracked = new Set(
  execFileSync("git", ["ls-files", "-z"], { cwd: repoRoot, encoding: "utf8" }).split("\0").filter(Boolean),
);

interface Project {
  /** Path of the Pulumi.yaml, relative to the repository root. */
  file: string;
  /** The project's directory, absolute. */
  dir: string;
  runtime: string;
  main?: string;
}

/** The `runtime` (short or `name:` form) and `main` of a Pulumi.yaml; fails when neither form parses. */
function readProject(file: string): Project {
  const text = fs.readFileSync(path.join(repoRoot, file), "utf8");
  const runtime =
    /^runtime:[ \t]*([\w-]+)[ \t]*$/m.exec(text)?.[1] ??
    /^runtime:[ \t]*\n(?:[ \t]+.*\n)*?[ \t]+name:[ \t]*([\w-]+)/m.exec(text)?.[1];
  assert.ok(runtime, `${file}: no runtime could be read`);
  const main = /^main:[ \t]*["']?([^"'\s]+)["']?[ \t]*$/m.exec(text)?.[1];
  return { file, dir: path.join(repoRoot, path.dirname(file)), runtime, main };
}

/** Every tracked Pulumi.yaml with the Node.js runtime (not the per-stack Pulumi.<stack>.yaml). */
const nodeProjects = [...tracked]
  .filter((file) => /(^|\/)Pulumi\.ya?ml$/.test(file))
  .map(readProject)
  .filter((project) => project.runtime === "nodejs");

type Manifest = {
  main?: string;
  exports?: string | Record<string, string | Record<string, string>>;
  type?: string;
};

/** The nearest package.json (or pnpm's package.yaml) at or above `dir`, as cmd/run searches. */
function nearestManifestDir(dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    if (["package.json", "package.yaml"].some((name) => fs.existsSync(path.join(current, name)))) {
      return current;
    }
    if (path.dirname(current) === current) return undefined;
  }
}

/** Node's CommonJS file and directory resolution, with `.ts` registered last (as ts-node does). */
function requireResolve(target: string): string | undefined {
  const extensions = [".js", ".json", ".node", ".ts"];
  const asFile = (file: string) =>
    [file, ...extensions.map((ext) => file + ext)].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
  const asIndex = (dir: string) => asFile(path.join(dir, "index"));
  const direct = asFile(target);
  if (direct) return direct;
  if (!fs.existsSync(target) || !fs.statSync(target).isDirectory()) return undefined;
  const manifest = path.join(target, "package.json");
  const main = fs.existsSync(manifest) ? (JSON.parse(fs.readFileSync(manifest, "utf8")) as Manifest).main : undefined;
  if (main) {
    const resolved = asFile(path.join(target, main)) ?? asIndex(path.join(target, main));
    if (resolved) return resolved;
  }
  return asIndex(target);
}

/**
 * The file `pulumi up` runs for a project. The CLI splits Pulumi.yaml `main` into a working
 * directory and an entry point ("." without `main`; pkg/engine/project.go `getPwdMain`); then
 * `cmd/run` (node_modules/@pulumi/pulumi/cmd/run/run.js, `run`) takes, when the entry point is ".",
 * the nearest package manifest's `exports` (a string, or `exports["."]` as a string or its
 * `default || require || import`), else its `main`, each only if the file exists; and requires
 * the result. With `built`, every file a package manifest names counts as existing, as it does once
 * the repository is built (`dist/` is not committed): a clean checkout must not hide the library's
 * entry point.
 */
function entryPointOf(project: Project, built: boolean): string | undefined {
  let pwd = project.dir;
  let entry = ".";
  if (project.main) {
    const target = path.resolve(project.dir, project.main);
    assert.ok(fs.existsSync(target), `${project.file}: main ${project.main} does not exist`);
    if (!fs.statSync(target).isDirectory()) {
      pwd = path.dirname(target);
      entry = path.basename(target);
    } else {
      pwd = target;
    }
  }
  let program = path.join(pwd, entry);
  const programDir = fs.existsSync(program) && fs.statSync(program).isDirectory() ? program : path.dirname(program);
  const packageRoot = nearestManifestDir(programDir) ?? programDir;
  const manifestFile = path.join(packageRoot, "package.json");
  const manifest: Manifest = fs.existsSync(manifestFile) ? JSON.parse(fs.readFileSync(manifestFile, "utf8")) : {};
  if (entry === ".") {
    const resolveEntrypoint = (candidate: string | undefined) => {
      const file = candidate === undefined ? undefined : path.join(packageRoot, candidate);
      return file !== undefined && (built || fs.existsSync(file)) ? file : program;
    };
    const { exports } = manifest;
    if (typeof exports === "string") {
      program = resolveEntrypoint(exports);
    } else if (typeof exports === "object" && exports !== null) {
      const dot = exports["."];
      if (typeof dot === "string") program = resolveEntrypoint(dot);
      else if (typeof dot === "object" && dot !== null) program = resolveEntrypoint(dot.default || dot.require || dot.import);
    } else if (manifest.main) {
      program = resolveEntrypoint(manifest.main);
    }
  }
  assert.notEqual(manifest.type, "module", `${project.file}: ES-module programs are not covered by this check`);
  return requireResolve(program) ?? (built ? program : undefined);
}

/** Diagnostics of one TypeScript project (`tsc --noEmit -p <tsconfig>`), sharing parsed files. */
const sourceFiles = new Map<string, ts.SourceFile | undefined>();
function typeCheck(tsconfig: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, { noEmit: true }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
    },
  });
  assert.ok(parsed, `${tsconfig} could not be read`);
  const host = ts.createCompilerHost(parsed.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const key = `${JSON.stringify(languageVersion)}:${fileName}`;
    if (!sourceFiles.has(key)) sourceFiles.set(key, getSourceFile(fileName, languageVersion, ...rest));
    return sourceFiles.get(key);
  };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host });
  return [...parsed.errors, ...ts.getPreEmitDiagnostics(program)].map((diagnostic) =>
    ts.formatDiagnostic(diagnostic, {
      getCanonicalFileName: (name) => name,
      getCurrentDirectory: () => repoRoot,
      getNewLine: () => "\n",
    }),
  );
}

describe("unit: every Pulumi program runs itself under plain `pulumi up`", () => {
  it("finds the programs: the examples, the benchmark and test fixtures, and none at the repository root", () => {
    const files = nodeProjects.map((project) => project.file);
    for (const example of ["partner-onboarding", "service-key", "partner-vxc", "multi-use-key"]) {
      assert.ok(files.includes(`examples/${example}/Pulumi.yaml`), `examples/${example} is a Pulumi project`);
    }
    assert.ok(files.length > 4, "the fixtures are checked too");
    assert.ok(!files.includes("Pulumi.yaml"), "the repository root (the library's package.json) holds no program");
  });

  for (const project of nodeProjects) {
    it(`${project.file}: the entry point is the program's own file, built or not`, () => {
      for (const built of [false, true]) {
        const entry = entryPointOf(project, built);
        assert.ok(entry, `${project.file}: no entry point resolves`);
        const relative = path.relative(repoRoot, entry);
        const inProject = !path.relative(project.dir, entry).startsWith("..");
        assert.ok(
          inProject && tracked.has(relative) && !relative.split(path.sep).includes("node_modules"),
          `${project.file}: plain \`pulumi up\` would run ${relative}, not a program file of ${path.dirname(project.file)}`,
        );
      }
    });
  }

  const examples = nodeProjects.filter((project) => project.file.startsWith("examples/"));
  for (const project of examples) {
    const name = path.dirname(project.file);
    it(`${name}: a project of its own, pinning the repository's @pulumi/pulumi and TypeScript`, () => {
      for (const file of ["package.json", "tsconfig.json", "index.ts", "README.md"]) {
        assert.ok(tracked.has(`${name}/${file}`), `${name}/${file} is committed`);
      }
      const manifest = JSON.parse(fs.readFileSync(path.join(project.dir, "package.json"), "utf8"));
      const link = manifest.dependencies?.["pulumi-megaport-service-keys"];
      assert.match(link ?? "", /^file:/, `${name} depends on the package through a file: link`);
      assert.equal(path.resolve(project.dir, link.slice("file:".length)), repoRoot, `${name}: the link is the repository root`);
      assert.equal(manifest.dependencies["@pulumi/pulumi"], rootPackage.devDependencies["@pulumi/pulumi"]);
      assert.equal(manifest.devDependencies?.typescript, rootPackage.devDependencies.typescript);
    });

    it(`${name}: type-checks with the TypeScript it pins (tsc --noEmit -p ${name}/tsconfig.json)`, function () {
      this.timeout(60_000);
      const pinned = JSON.parse(fs.readFileSync(path.join(project.dir, "package.json"), "utf8")).devDependencies
        ?.typescript;
      assert.equal(ts.version, pinned, `${name} pins typescript ${pinned}; the check runs offline with ${ts.version}`);
      assert.deepEqual(typeCheck(path.join(project.dir, "tsconfig.json")), []);
    });
  }
});
