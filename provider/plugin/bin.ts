#!/usr/bin/env node
/**
 * `pulumi-resource-megaport-service-keys`: the provider plugin the Pulumi engine starts for the
 * package `megaport-service-keys` (found on PATH; README, "Pulumi YAML"). It prints its port and
 * serves until the engine stops it.
 */
import { pluginProvider } from "./provider";
import { serve } from "./server";

serve(pluginProvider(), process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
