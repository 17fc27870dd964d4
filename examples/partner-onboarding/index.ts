// The partner-onboarding demo (`make demo`): the two-party handshake of a Megaport service key.
//
//   East Company (owner, B-End)            West Company (consumer, A-End)
//   1. ServiceKey on its 10G port   ──key──▶ 2. ServiceKeyVxc from its port, 500 Mbps
//   3. VxcOrderApproval: approve    ◀─order─┘   (waits as PENDING_EXTERNAL until East approves)
//
// Both companies are named accounts (`east`, `west`) in the secret stack config `megaport:accounts`.
import * as pulumi from "@pulumi/pulumi";
import { ServiceKey, ServiceKeyVxc, VxcOrderApproval } from "pulumi-megaport-service-keys";

const demo = new pulumi.Config("demo");

const eastKey = new ServiceKey("east-key", {
  account: "east",
  productUid: demo.require("eastPortUid"),
  maxSpeed: 1000,
  singleUse: true,
  vlan: 100,
  preApproved: false,
  description: "Private link for West Company",
});

const westVxc = new ServiceKeyVxc("west-vxc", {
  account: "west",
  serviceKey: eastKey.key,
  aEndProductUid: demo.require("westPortUid"),
  name: "West to East private link",
  rateLimit: 500,
});

const eastApproval = new VxcOrderApproval("east-approval", {
  account: "east",
  productUid: westVxc.productUid,
  decision: "approve",
  comment: "Welcome aboard, West Company",
});

export const serviceKey = eastKey.key;
export const vxcId = westVxc.productUid;
export const approvalStatus = eastApproval.status;
export const provisioningStatus = westVxc.provisioningStatus;
