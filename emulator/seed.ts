/**
 * The default seed (deterministic: fixed UUIDs and keys, so a demo can be re-run) and the
 * conversion of a seed into a fresh state.
 */
import { readFileSync } from "node:fs";
import { type ParsedSeed, type Seed, SeedSchema, type State } from "./model";

/** Epoch ms stamped on seeded records (2025-01-01T00:00:00Z). */
const SEED_DATE = 1735689600000;

function seedCompany(name: string, companyName: string, companyNumber: number, short: string) {
  const companyHex = companyNumber.toString(16).padStart(4, "0");
  const companyUid = `c0a1${companyHex}-0000-4000-8000-00000000${companyHex}`;
  const uid = (productNumber: number) =>
    `${short}${companyHex}00-${productNumber.toString(16).padStart(4, "0")}-4000-9000-0000000000${companyHex.slice(2)}`;
  const base = companyNumber * 1000;
  return {
    name,
    companyName,
    companyUid,
    companyId: 1000 + companyNumber,
    apiKeys: [
      { accessKey: `${name}-access-key-0001`, secretKey: `${name}-secret-key-0001-demo-only` },
      {
        accessKey: `${name}-readonly-access-key-0001`,
        secretKey: `${name}-readonly-secret-key-0001-demo-only`,
        role: "READ_ONLY" as const,
      },
    ],
    products: [
      {
        nickname: "port1G",
        productUid: uid(1),
        productId: base + 1,
        productName: `${companyName.split(" ")[0]} Port 1G`,
        productType: "MEGAPORT" as const,
        portSpeed: 1000,
      },
      {
        nickname: "port10G",
        productUid: uid(2),
        productId: base + 2,
        productName: `${companyName.split(" ")[0]} Port 10G`,
        productType: "MEGAPORT" as const,
        portSpeed: 10000,
      },
      {
        nickname: "mcr",
        productUid: uid(3),
        productId: base + 3,
        productName: `${companyName.split(" ")[0]} MCR`,
        productType: "MCR2" as const,
        maxVxcSpeed: 5000,
      },
      {
        nickname: "mve",
        productUid: uid(4),
        productId: base + 4,
        productName: `${companyName.split(" ")[0]} MVE`,
        productType: "MVE" as const,
        maxVxcSpeed: 10000,
        vnics: 2,
      },
    ],
  };
}

/**
 * Companies east, west and north, each with a Company Admin API key (the first, as before), a Read
 * Only one, and port1G, port10G, mcr and mve.
 */
export const defaultSeed: ParsedSeed = SeedSchema.parse({
  companies: [
    seedCompany("east", "East Company", 1, "ea"),
    seedCompany("west", "West Company", 2, "3e"),
    seedCompany("north", "North Company", 3, "a0"),
  ],
});

/** Validates a seed object and fills in its defaults. */
export function parseSeed(seed: Seed): ParsedSeed {
  return SeedSchema.parse(seed);
}

/** Reads and validates a seed file (the `--seed FILE` format: {@link Seed} as JSON). */
export function loadSeedFile(path: string): ParsedSeed {
  return SeedSchema.parse(JSON.parse(readFileSync(path, "utf8")));
}

/** A fresh state built from a seed: no keys, VXCs, approvals or tokens, clock not advanced. */
export function stateFromSeed(seed: ParsedSeed): State {
  const maxProductId = Math.max(0, ...seed.companies.flatMap((c) => c.products.map((p) => p.productId)));
  return {
    version: 1,
    clockOffsetMs: 0,
    provisioningHeld: false,
    nextId: Math.max(100000, maxProductId + 1),
    companies: seed.companies.map((c) => ({
      name: c.name,
      companyName: c.companyName,
      companyUid: c.companyUid,
      companyId: c.companyId,
      apiKeys: c.apiKeys,
    })),
    products: seed.companies.flatMap((c) =>
      c.products.map((p) => ({
        nickname: p.nickname,
        productUid: p.productUid,
        productId: p.productId,
        productName: p.productName,
        productType: p.productType,
        portSpeed: p.productType === "MVE" ? null : (p.portSpeed ?? null),
        maxVxcSpeed: p.productType === "MEGAPORT" ? null : (p.maxVxcSpeed ?? null),
        locationId: p.locationId,
        provisioningStatus: p.provisioningStatus,
        marketplaceVisibility: p.marketplaceVisibility,
        vxcAutoApproval: p.vxcAutoApproval,
        companyUid: c.companyUid,
        createDate: SEED_DATE,
        costCentre: null,
        terminateDate: null,
        resourceTags: [],
        vnics: p.productType === "MVE" ? (p.vnics ?? 2) : null,
      })),
    ),
    serviceKeys: [],
    vxcs: [],
    approvals: [],
    tokens: {},
  };
}
