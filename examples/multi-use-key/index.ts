// Both sides in one stack, with two named accounts from the secret config `megaport:accounts`:
// the owner issues one multi-use, pre-approved key on its MCR, and the consumer orders three VXCs
// with it from three of its products: one with an assigned VLAN, one with a chosen VLAN and one
// untagged. A multi-use key takes no VLAN of its own.
import * as pulumi from "@pulumi/pulumi";
import { ServiceKey, ServiceKeyVxc } from "pulumi-megaport-service-keys";

const config = new pulumi.Config();

const sharedKey = new ServiceKey("shared-key", {
  account: "owner",
  productUid: config.require("ownerProductUid"),
  maxSpeed: 1000,
  singleUse: false,
  preApproved: true,
  description: "One key for all of the consumer's sites",
});

const sites = [
  { name: "site-a", productUid: config.require("consumerPortA"), aEndVlan: undefined },
  { name: "site-b", productUid: config.require("consumerPortB"), aEndVlan: 300 },
  { name: "site-c", productUid: config.require("consumerPortC"), aEndVlan: "untagged" as const },
];

const links = sites.map(
  (site) =>
    new ServiceKeyVxc(`link-${site.name}`, {
      account: "consumer",
      serviceKey: sharedKey.key,
      aEndProductUid: site.productUid,
      aEndVlan: site.aEndVlan,
      name: `Link from ${site.name}`,
      rateLimit: 200,
    }),
);

export const vxcIds = links.map((link) => link.productUid);
export const aEndVlans = links.map((link) => link.aEndVlan);
export const provisioningStatuses = links.map((link) => link.provisioningStatus);
