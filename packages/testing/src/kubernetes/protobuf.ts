// client-go's typed clients (helm's Secret and ConfigMap release drivers, its namespace creation) send bodies as
// Kubernetes protobuf and do not fall back to JSON. This reads the few kinds they send into the JSON objects the
// rest of the fake works on. Only the fields those clients write are read; anything else is refused, so a test
// never silently loses a field. The wire format: the 4-byte magic `k8s\0`, then a `runtime.Unknown` message
// (1: TypeMeta {1: apiVersion, 2: kind}, 2: raw bytes of the object).
import type { JsonObject } from './patches.js';

export class ProtobufError extends Error {}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

interface Field {
  no: number;
  varint?: bigint;
  bytes?: Buffer;
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (i >= buf.length || shift > 63n) throw new ProtobufError('truncated or oversized varint');
      const b = buf[i++] ?? 0;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    switch (key & 7) {
      case 0:
        out.push({ no, varint: varint() });
        break;
      case 1:
        i += 8;
        out.push({ no });
        break;
      case 2: {
        const len = Number(varint());
        if (i + len > buf.length) throw new ProtobufError('truncated length-delimited field');
        out.push({ no, bytes: buf.subarray(i, i + len) });
        i += len;
        break;
      }
      case 5:
        i += 4;
        out.push({ no });
        break;
      default:
        throw new ProtobufError(`unsupported wire type ${key & 7}`);
    }
  }
  if (i > buf.length) throw new ProtobufError('truncated fixed-size field');
  return out;
}

const text = (f: Field): string => (f.bytes ?? Buffer.alloc(0)).toString('utf8');

function entry(f: Field): [string, Buffer] {
  let key = '';
  let value: Buffer = Buffer.alloc(0);
  for (const e of fields(f.bytes ?? Buffer.alloc(0))) {
    if (e.no === 1) key = text(e);
    else if (e.no === 2) value = e.bytes ?? Buffer.alloc(0);
  }
  return [key, value];
}

function stringMap(fs: Field[], no: number): Record<string, string> | undefined {
  const m = fs.filter((f) => f.no === no);
  return m.length === 0 ? undefined : Object.fromEntries(m.map(entry).map(([k, v]) => [k, v.toString('utf8')]));
}

function bytesMap(fs: Field[], no: number): Record<string, string> | undefined {
  const m = fs.filter((f) => f.no === no);
  return m.length === 0 ? undefined : Object.fromEntries(m.map(entry).map(([k, v]) => [k, v.toString('base64')]));
}

function objectMeta(buf: Buffer): JsonObject {
  const meta: JsonObject = {};
  const fs = fields(buf);
  for (const f of fs) {
    if (f.no === 1) meta['name'] = text(f);
    else if (f.no === 2) meta['generateName'] = text(f);
    else if (f.no === 3) meta['namespace'] = text(f);
    else if (f.no === 6) meta['resourceVersion'] = text(f);
  }
  const labels = stringMap(fs, 11);
  const annotations = stringMap(fs, 12);
  const finalizers = fs.filter((f) => f.no === 14).map(text);
  if (labels) meta['labels'] = labels;
  if (annotations) meta['annotations'] = annotations;
  if (finalizers.length > 0) meta['finalizers'] = finalizers;
  return meta;
}

/** Whether a body starts with the Kubernetes protobuf magic. */
export function isKubernetesProtobuf(body: Buffer): boolean {
  return body.subarray(0, 4).equals(MAGIC);
}

/** A Secret, ConfigMap or Namespace sent as Kubernetes protobuf, as JSON. */
export function decodeKubernetesProtobuf(body: Buffer): JsonObject {
  if (!isKubernetesProtobuf(body)) throw new ProtobufError('not Kubernetes protobuf (no k8s\\0 magic)');
  let apiVersion = '';
  let kind = '';
  let raw: Buffer = Buffer.alloc(0);
  for (const f of fields(body.subarray(4))) {
    if (f.no === 1) {
      for (const t of fields(f.bytes ?? Buffer.alloc(0))) {
        if (t.no === 1) apiVersion = text(t);
        else if (t.no === 2) kind = text(t);
      }
    } else if (f.no === 2) raw = f.bytes ?? Buffer.alloc(0);
  }
  const fs = fields(raw);
  const metaField = fs.find((f) => f.no === 1);
  const out: JsonObject = { apiVersion, kind, metadata: objectMeta(metaField?.bytes ?? Buffer.alloc(0)) };
  const immutable = (no: number) => {
    const f = fs.find((x) => x.no === no);
    if (f?.varint !== undefined) out['immutable'] = f.varint !== 0n;
  };
  switch (`${apiVersion}/${kind}`) {
    case 'v1/Secret': {
      const data = bytesMap(fs, 2);
      const stringData = stringMap(fs, 4);
      const type = fs.find((f) => f.no === 3);
      if (data) out['data'] = data;
      if (stringData) out['stringData'] = stringData;
      if (type) out['type'] = text(type);
      immutable(5);
      return out;
    }
    case 'v1/ConfigMap': {
      const data = stringMap(fs, 2);
      const binaryData = bytesMap(fs, 3);
      if (data) out['data'] = data;
      if (binaryData) out['binaryData'] = binaryData;
      immutable(4);
      return out;
    }
    case 'v1/Namespace':
      return out;
    default:
      throw new ProtobufError(`the fake Kubernetes API reads ${apiVersion}/${kind} only as JSON, not as protobuf`);
  }
}
