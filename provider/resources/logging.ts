/**
 * One-line progress messages of the provider. The dynamic provider is not connected to the engine,
 * so its stdout is shown as stack-level info with no resource attached: every line starts with the
 * resource's name (docs/architecture.md, "Logging"). Never pass a key, credential or token here.
 */
export function logLine(resourceName: unknown, message: string): void {
  const name = typeof resourceName === "string" && resourceName !== "" ? resourceName : "megaport";
  console.log(`${name}: ${message}`);
}
