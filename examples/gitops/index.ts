// Service keys for partners, kept in git: one multi-use key on your port for each partner named in
// the stack config `partners`. A pull request that adds a partner is previewed with a Read Only API
// key; the merge to main applies it with a Company Admin key; a scheduled job reports drift
// (README, "The pipeline"). Credentials come from MEGAPORT_ACCESS_KEY / MEGAPORT_SECRET_KEY, which
// the pipeline sets from the CI's secrets.
import * as pulumi from "@pulumi/pulumi";
import { ServiceKey } from "pulumi-megaport-service-keys";

/** One entry of `partners`: who the key is for, and the fastest VXC it may order (Mbps). */
interface Partner {
  name: string;
  maxSpeed?: number;
}

const config = new pulumi.Config();
const portUid = config.require("portUid");
const partners = config.requireObject<Partner[]>("partners");

const keys = partners.map(
  (partner) =>
    new ServiceKey(`key-${partner.name}`, {
      productUid: portUid,
      maxSpeed: partner.maxSpeed ?? 500,
      singleUse: false,
      preApproved: false,
      description: `Service key for ${partner.name}`,
    }),
);

/** Key ids by partner (digests, never the keys); `pulumi stack output keys --show-secrets` shares a key. */
export const keyIds = Object.fromEntries(partners.map((partner, i) => [partner.name, keys[i].id]));
export const serviceKeys = pulumi.secret(Object.fromEntries(partners.map((partner, i) => [partner.name, keys[i].key])));
