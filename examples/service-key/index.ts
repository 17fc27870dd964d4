// The owner's side: a single-use service key on one of your ports, valid until a date, to share
// with one partner. Credentials come from the default account (megaport:accessKey/secretKey).
import * as pulumi from "@pulumi/pulumi";
import { ServiceKey } from "pulumi-megaport-service-keys";

const config = new pulumi.Config();

const partnerKey = new ServiceKey("partner-key", {
  productUid: config.require("portUid"),
  maxSpeed: config.getNumber("maxSpeed") ?? 500,
  singleUse: true,
  vlan: config.getNumber("vlan") ?? 200,
  validFor: { end: config.get("validUntil") ?? "2030-01-01T00:00:00Z" },
  description: "Key for our partner's private link",
});

/** Share this with the partner over a secure channel: `pulumi stack output serviceKey --show-secrets`. */
export const serviceKey = partnerKey.key;
export const keyId = partnerKey.id;
export const port = partnerKey.productName;
export const valid = partnerKey.valid;
