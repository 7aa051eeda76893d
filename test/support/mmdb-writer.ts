import { isIPv4, isIPv6 } from 'node:net';

/**
 * A small MaxMind DB (format 2.0) writer for test fixtures, following MaxMind's public spec: a
 * binary search tree over 128-bit addresses (IPv4 lives under ::/96), a data section of typed
 * values, and a metadata map after the "\xAB\xCD\xEFMaxMind.com" marker. No npm package writes
 * the format and no GeoIP2 City database has a licence that lets it ship in a repository.
 */
export type MmdbValue = string | number | boolean | MmdbValue[] | { [key: string]: MmdbValue } | { uint32: number } | { double: number };

interface TreeNode {
  children: [TreeNode | number | null, TreeNode | number | null]; // number: data offset
}

const TYPE = { pointer: 1, utf8: 2, double: 3, bytes: 4, uint16: 5, uint32: 6, map: 7, int32: 8, uint64: 9, array: 11, boolean: 14 };

function control(type: number, size: number): Buffer {
  const extended = type > 7;
  const first = (extended ? 0 : type) << 5;
  let sizeBits: number;
  let sizeBytes: Buffer;
  if (size < 29) [sizeBits, sizeBytes] = [size, Buffer.alloc(0)];
  else if (size < 29 + 256) [sizeBits, sizeBytes] = [29, Buffer.from([size - 29])];
  else if (size < 285 + 65_536) [sizeBits, sizeBytes] = [30, Buffer.from([(size - 285) >> 8, (size - 285) & 0xff])];
  else [sizeBits, sizeBytes] = [31, Buffer.from([((size - 65_821) >> 16) & 0xff, ((size - 65_821) >> 8) & 0xff, (size - 65_821) & 0xff])];
  return Buffer.concat([Buffer.from([first | sizeBits]), extended ? Buffer.from([type - 7]) : Buffer.alloc(0), sizeBytes]);
}

function unsigned(value: number, maxBytes: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0) {
    bytes.unshift(rest % 256);
    rest = Math.floor(rest / 256);
  }
  if (bytes.length > maxBytes) throw new RangeError(`${value} does not fit in ${maxBytes} bytes`);
  return Buffer.from(bytes);
}

export function encodeValue(value: MmdbValue): Buffer {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([control(TYPE.utf8, bytes.length), bytes]);
  }
  if (typeof value === 'boolean') return control(TYPE.boolean, value ? 1 : 0);
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value < 65_536) {
      const bytes = unsigned(value, 2);
      return Buffer.concat([control(TYPE.uint16, bytes.length), bytes]);
    }
    return encodeValue({ double: value });
  }
  if (Array.isArray(value)) return Buffer.concat([control(TYPE.array, value.length), ...value.map(encodeValue)]);
  if ('uint32' in value && typeof value.uint32 === 'number' && Object.keys(value).length === 1) {
    const bytes = unsigned(value.uint32, 4);
    return Buffer.concat([control(TYPE.uint32, bytes.length), bytes]);
  }
  if ('double' in value && typeof value.double === 'number' && Object.keys(value).length === 1) {
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleBE(value.double);
    return Buffer.concat([control(TYPE.double, 8), bytes]);
  }
  const entries = Object.entries(value as Record<string, MmdbValue>);
  return Buffer.concat([control(TYPE.map, entries.length), ...entries.flatMap(([k, v]) => [encodeValue(k), encodeValue(v)])]);
}

function uint64(value: number): Buffer {
  const bytes = unsigned(value, 8);
  return Buffer.concat([control(TYPE.uint64, bytes.length), bytes]);
}

/** The 128 bits of an address as 0/1 values (IPv4 mapped under ::/96, as readers look it up). */
function addressBits(ip: string): number[] {
  let bytes: number[];
  if (isIPv4(ip)) bytes = [...new Array<number>(12).fill(0), ...ip.split('.').map(Number)];
  else if (isIPv6(ip)) {
    const [head, tail] = ip.split('::') as [string, string | undefined];
    const groups = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
    const left = groups(head);
    const right = groups(tail);
    const all = tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
    bytes = all.flatMap((g) => [g >> 8, g & 0xff]);
  } else throw new Error(`not an IP address: ${ip}`);
  return bytes.flatMap((byte) => Array.from({ length: 8 }, (_, i) => (byte >> (7 - i)) & 1));
}

export interface MmdbNetwork {
  /** CIDR, IPv4 or IPv6. */
  network: string;
  data: MmdbValue;
}

export function writeMmdb(options: { databaseType: string; networks: MmdbNetwork[]; description?: string; buildEpoch?: number }): Buffer {
  // Data section: each record once, remembered by offset.
  const chunks: Buffer[] = [];
  let dataSize = 0;
  const root: TreeNode = { children: [null, null] };
  for (const { network, data } of options.networks) {
    const [ip, prefixText] = network.split('/') as [string, string];
    const prefix = Number(prefixText) + (isIPv4(ip) ? 96 : 0);
    const encoded = encodeValue(data);
    const offset = dataSize;
    chunks.push(encoded);
    dataSize += encoded.length;
    const bits = addressBits(ip);
    let node = root;
    for (let depth = 0; depth < prefix - 1; depth += 1) {
      const bit = bits[depth] as 0 | 1;
      const child = node.children[bit];
      if (child === null || typeof child === 'number') {
        const next: TreeNode = { children: [child, child] }; // a more specific network splits a wider one
        node.children[bit] = next;
        node = next;
      } else node = child;
    }
    node.children[bits[prefix - 1]!] = offset;
  }

  // Number the nodes breadth-first, then write 24-bit records.
  const order: TreeNode[] = [];
  const index = new Map<TreeNode, number>();
  for (let queue = [root]; queue.length > 0; ) {
    const node = queue.shift()!;
    index.set(node, order.length);
    order.push(node);
    for (const child of node.children) if (child !== null && typeof child === 'object') queue.push(child);
  }
  const nodeCount = order.length;
  const record = (child: TreeNode | number | null) => (child === null ? nodeCount : typeof child === 'number' ? nodeCount + 16 + child : index.get(child)!);
  const tree = Buffer.alloc(nodeCount * 6);
  order.forEach((node, i) => {
    tree.writeUIntBE(record(node.children[0]), i * 6, 3);
    tree.writeUIntBE(record(node.children[1]), i * 6 + 3, 3);
  });

  const metadata = Buffer.concat([
    control(TYPE.map, 9),
    encodeValue('node_count'),
    encodeValue({ uint32: nodeCount }),
    encodeValue('record_size'),
    encodeValue(24),
    encodeValue('ip_version'),
    encodeValue(6),
    encodeValue('database_type'),
    encodeValue(options.databaseType),
    encodeValue('languages'),
    encodeValue(['en']),
    encodeValue('binary_format_major_version'),
    encodeValue(2),
    encodeValue('binary_format_minor_version'),
    encodeValue(0),
    encodeValue('build_epoch'),
    uint64(options.buildEpoch ?? 1_790_000_000),
    encodeValue('description'),
    encodeValue({ en: options.description ?? 'sessionward test fixture' }),
  ]);
  return Buffer.concat([tree, Buffer.alloc(16), ...chunks, Buffer.from('abcdef4d61784d696e642e636f6d', 'hex'), metadata]);
}
