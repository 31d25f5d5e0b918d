/**
 * What the SSRF guard lets through when the CLI runs on a team's own machine: their model server on
 * loopback or their private network is the normal case there, unlike on the platform. Link-local,
 * cloud metadata (169.254.0.0/16, fd00:ec2::/…) and other special ranges stay refused; IPv6 unique-local
 * space is left out because AWS serves its metadata from it.
 */
export const LOCAL_ALLOW_LIST: readonly string[] = [
  'localhost',
  '127.0.0.0/8',
  '::1',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
];
