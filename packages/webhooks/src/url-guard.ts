import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

import { WebhookUrlRefusedError } from './errors';

/**
 * The outbound check against SSRF: before any connection, the URL's host is resolved and
 * every address it names is checked; the connection then goes to the checked address
 * (pinned), so a name cannot resolve to a public address for the check and to a private
 * one for the connection (DNS rebinding).
 */

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses (getaddrinfo by default; tests pass their own). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

/**
 * Addresses no webhook may reach: loopback, private, shared (CGNAT), link-local (cloud
 * metadata at 169.254.169.254), unique-local, site-local, unspecified, multicast,
 * broadcast and reserved, documentation and benchmark ranges. An IPv4-mapped IPv6
 * address (::ffff:a.b.c.d) is judged as its IPv4 address (BlockList does so); NAT64 and
 * 6to4 addresses, which embed one less plainly, are refused whole.
 */
const REFUSED_RANGES: readonly (readonly [string, number, 'ipv4' | 'ipv6'])[] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['2002::', 16, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['fec0::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

const refused = new BlockList();
for (const [network, prefix, type] of REFUSED_RANGES) refused.addSubnet(network, prefix, type);

/** Whether webhooks may connect to this IP address (public unicast only). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return !refused.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export interface UrlCheckOptions {
  /** WEBHOOKS_ALLOW_PRIVATE_URLS: every address is allowed (still resolved and pinned). */
  allowPrivate: boolean;
  resolve?: Resolver;
}

export interface CheckedTarget {
  url: URL;
  /** The address the connection must go to: the first of the checked ones. */
  address: ResolvedAddress;
}

/**
 * Resolves the URL's host and checks every address; throws WebhookUrlRefusedError when
 * any is refused or none is found. Makes no connection.
 */
export async function checkWebhookUrl(
  text: string,
  options: UrlCheckOptions,
): Promise<CheckedTarget> {
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WebhookUrlRefusedError(`The URL's scheme ${url.protocol} is not http or https`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = await resolveHost(host, options.resolve ?? systemResolver);
  if (!options.allowPrivate) {
    const bad = addresses.find((found) => !isPublicAddress(found.address));
    if (bad) {
      throw new WebhookUrlRefusedError(
        isIP(host) === 0
          ? `The host ${host} resolves to ${bad.address}, an address webhooks may not reach`
          : `The address ${host} is one webhooks may not reach (loopback, private, link-local or reserved)`,
      );
    }
  }
  const [first] = addresses;
  if (!first) throw new WebhookUrlRefusedError(`The host ${host} resolves to no address`);
  return { url, address: first };
}

async function resolveHost(host: string, resolve: Resolver): Promise<ResolvedAddress[]> {
  const family = isIP(host);
  if (family !== 0) return [{ address: host, family: family === 6 ? 6 : 4 }];
  try {
    return await resolve(host);
  } catch {
    throw new WebhookUrlRefusedError(`The host ${host} does not resolve`);
  }
}
