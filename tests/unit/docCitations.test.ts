import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

// The repository stands alone (issue 14): every document a tracked file cites is in the repository,
// every section it cites by name (`docs/megaport-api.md, "Update"`) is a heading of that document,
// and nothing points into a `shared/` folder outside it.

/** The repository root (this file is compiled to `dist/tests/unit/`). */
const repoRoot = path.resolve(__dirname, "..", "..", "..");
const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: repoRoot, encoding: "utf8" })
  .split("\0")
  .filter(Boolean);
const trackedSet = new Set(tracked);
const trackedNames = new Set(tracked.map((file) => path.posix.basename(file)));

/** Files read as text: everything tracked but images and the lock file. */
const textFiles = tracked.filter(
  (file) => !/\.(png|jpe?g|gif|ico)$/i.test(file) && path.posix.basename(file) !== "package-lock.json",
);

/** A document cited in a text (a path such as `docs/<name>.md`, or a bare `<name>.md`) and the sections named after it. */
export interface Citation {
  /** The cited name as written, e.g. `docs/megaport-api.md` or `README.md`. */
  document: string;
  /** Section names quoted right after it: `, "A" and "B"` or `: "A", "B"`. */
  sections: string[];
  line: number;
}

const DOCUMENT = /(?<![\w./-])((?:\.\.?\/)*(?:[\w.-]+\/)*[\w-]+(?:\.[\w-]+)*\.md)\b/g;
const SECTIONS = /^(?:,|:) *((?:"[^"\n]+"(?:,? (?:and )?|, )?)+)/;

/** The citations of one file's text. URLs are not citations of this repository. */
export function citationsIn(text: string): Citation[] {
  const citations: Citation[] = [];
  text.split("\n").forEach((lineText, index) => {
    for (const match of lineText.matchAll(DOCUMENT)) {
      const before = lineText.slice(0, match.index);
      if (/(?:https?:\/\/|www\.)\S*$/.test(before)) continue;
      const after = lineText.slice((match.index ?? 0) + match[0].length);
      const quoted = SECTIONS.exec(after)?.[1] ?? "";
      const sections = [...quoted.matchAll(/"([^"\n]+)"/g)].map((m) => m[1] as string);
      citations.push({ document: match[1] as string, sections, line: index + 1 });
    }
  });
  return citations;
}

/** The tracked file a citation in `fromFile` names, or undefined. Bare names match any tracked file of that name. */
export function resolveCitation(document: string, fromFile: string): string | undefined {
  if (!document.includes("/")) {
    if (trackedSet.has(path.posix.join(path.posix.dirname(fromFile), document))) {
      return path.posix.join(path.posix.dirname(fromFile), document);
    }
    return trackedNames.has(document) ? tracked.find((file) => path.posix.basename(file) === document) : undefined;
  }
  for (const candidate of [
    path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), document)),
    path.posix.normalize(document),
  ]) {
    if (trackedSet.has(candidate)) return candidate;
  }
  return undefined;
}

/** The headings (`#` to `####`) of a Markdown text, without the leading hashes. */
export function headingsOf(markdown: string): string[] {
  return [...markdown.matchAll(/^#{1,4} +(.+?) *$/gm)].map((m) => m[1] as string);
}

/** Whether `section` names one of `headings`: the whole heading, or its part before a colon or a parenthesis. */
function namesHeading(section: string, headings: string[]): boolean {
  return headings.some((heading) => heading === section || heading.startsWith(`${section}:`) || heading.startsWith(`${section} (`));
}

describe("unit: the repository cites only its own documents", () => {
  it("finds citations and their sections, and skips URLs (the scanner can fail)", () => {
    const sample = [
      `See docs/megaport-api.md, "Update" and "Key rules"; also ${"design"}.md §5.`,
      "Online: https://github.com/megaport/megaportgo/blob/main/README.md and [x](../../docs/engine.md).",
      'A list: docs/architecture.md: "Diff", "Logging".',
    ].join("\n");
    assert.deepEqual(citationsIn(sample), [
      { document: "docs/megaport-api.md", sections: ["Update", "Key rules"], line: 1 },
      { document: `${"design"}.md`, sections: [], line: 1 },
      { document: "../../docs/engine.md", sections: [], line: 2 },
      { document: "docs/architecture.md", sections: ["Diff", "Logging"], line: 3 },
    ]);
    assert.equal(resolveCitation(`${"design"}.md`, "sdk/http.ts"), undefined, "a document outside the repository");
    assert.equal(resolveCitation("../../docs/engine.md", "tests/unit/x.test.ts"), "docs/engine.md");
    assert.equal(resolveCitation("docs/lifecycle.md", "provider/resources/serviceKey.ts"), "docs/lifecycle.md");
    assert.equal(resolveCitation("RESULTS.md", "README.md"), "bench/RESULTS.md");
  });

  it("every document a tracked file cites exists in the repository", () => {
    const missing: string[] = [];
    for (const file of textFiles) {
      const text = fs.readFileSync(path.join(repoRoot, file), "utf8");
      for (const citation of citationsIn(text)) {
        if (resolveCitation(citation.document, file) === undefined) {
          missing.push(`${file}:${citation.line}: ${citation.document}`);
        }
      }
    }
    assert.deepEqual(missing, [], `documents cited but not in the repository:\n${missing.join("\n")}`);
  });

  it("every section cited by name is a heading of the cited document", () => {
    const wrong: string[] = [];
    let cited = 0;
    for (const file of textFiles) {
      const text = fs.readFileSync(path.join(repoRoot, file), "utf8");
      for (const citation of citationsIn(text)) {
        const target = resolveCitation(citation.document, file);
        if (target === undefined || citation.sections.length === 0) continue;
        const headings = headingsOf(fs.readFileSync(path.join(repoRoot, target), "utf8"));
        for (const section of citation.sections) {
          cited += 1;
          if (!namesHeading(section, headings)) wrong.push(`${file}:${citation.line}: ${target}, "${section}"`);
        }
      }
    }
    assert.ok(cited > 100, `only ${cited} section citations found: the scanner is broken`);
    assert.deepEqual(wrong, [], `sections cited but not headings of their document:\n${wrong.join("\n")}`);
  });

  it("no tracked file points into a shared/ folder outside the repository", () => {
    const offenders = textFiles.filter((file) =>
      /\.\.\/shared|shared\/docs/.test(fs.readFileSync(path.join(repoRoot, file), "utf8")),
    );
    assert.deepEqual(offenders, []);
  });
});
