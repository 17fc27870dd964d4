// The consumer's side: order a VXC from your port to a partner, with the service key they shared.
// The key is a secret in the stack config; ordering costs money, so megaport:acceptPurchaseTerms
// must be true. If the partner's key is not pre-approved, `pulumi up` finishes with the VXC waiting
// for their approval (approvalStatus PENDING_EXTERNAL); a later `pulumi refresh` shows it LIVE.
import * as pulumi from "@pulumi/pulumi";
import { ServiceKeyVxc } from "pulumi-megaport-service-keys";

const config = new pulumi.Config();

const partnerLink = new ServiceKeyVxc("partner-link", {
  serviceKey: config.requireSecret("serviceKey"),
  aEndProductUid: config.require("portUid"),
  name: config.get("vxcName") ?? "Private link to our partner",
  rateLimit: config.getNumber("rateLimit") ?? 100,
  aEndVlan: config.getNumber("vlan"),
  term: 12,
  costCentre: "networking",
  timeouts: { create: "15m" },
});

export const vxcId = partnerLink.productUid;
export const approvalStatus = partnerLink.approvalStatus;
export const provisioningStatus = partnerLink.provisioningStatus;
export const partnerProduct = partnerLink.bEndProductName;
export const aEndVlan = partnerLink.aEndVlan;
