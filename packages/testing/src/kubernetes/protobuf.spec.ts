import { describe, expect, it } from '@jest/globals';
import { ProtobufError, decodeKubernetesProtobuf } from './protobuf.js';

// A tiny encoder for the test only: length-delimited fields and varints.
const varint = (n: number): Buffer => {
  const out: number[] = [];
  do {
    out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return Buffer.from(out);
};
const ld = (no: number, bytes: Buffer | string): Buffer => {
  const b = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  return Buffer.concat([varint((no << 3) | 2), varint(b.length), b]);
};
const vi = (no: number, n: number): Buffer => Buffer.concat([varint(no << 3), varint(n)]);
const entry = (no: number, k: string, v: Buffer | string) => ld(no, Buffer.concat([ld(1, k), ld(2, v)]));
const envelope = (apiVersion: string, kind: string, raw: Buffer) =>
  Buffer.concat([Buffer.from('k8s\0'), ld(1, Buffer.concat([ld(1, apiVersion), ld(2, kind)])), ld(2, raw)]);

describe('decodeKubernetesProtobuf', () => {
  it('reads a Secret as helm writes its releases: name, namespace, labels, bytes as base64, type, immutable', () => {
    const meta = Buffer.concat([ld(1, 'sh.helm.release.v1.demo.v1'), ld(3, 'apps'), entry(11, 'owner', 'helm'), entry(11, 'status', 'deployed')]);
    const raw = Buffer.concat([ld(1, meta), entry(2, 'release', Buffer.from([0, 1, 255])), ld(3, 'helm.sh/release.v1'), vi(5, 1)]);
    expect(decodeKubernetesProtobuf(envelope('v1', 'Secret', raw))).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'sh.helm.release.v1.demo.v1', namespace: 'apps', labels: { owner: 'helm', status: 'deployed' } },
      data: { release: Buffer.from([0, 1, 255]).toString('base64') },
      type: 'helm.sh/release.v1',
      immutable: true,
    });
  });

  it('reads a ConfigMap and a Namespace', () => {
    expect(decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', Buffer.concat([ld(1, ld(1, 'c')), entry(2, 'a', 'b')])))).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { a: 'b' },
    });
    expect(decodeKubernetesProtobuf(envelope('v1', 'Namespace', ld(1, ld(1, 'apps'))))).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'apps' },
    });
  });

  it.each([
    ['no magic', Buffer.from('{"kind":"Secret"}'), 'not Kubernetes protobuf (no k8s\\0 magic)'],
    [
      'a kind it does not read',
      envelope('apps/v1', 'Deployment', ld(1, ld(1, 'd'))),
      'the fake Kubernetes API reads apps/v1/Deployment only as JSON, not as protobuf',
    ],
    ['a truncated field', Buffer.concat([Buffer.from('k8s\0'), Buffer.from([0x12, 0x10, 0x01])]), 'truncated length-delimited field'],
    ['a varint that never ends', Buffer.concat([Buffer.from('k8s\0'), Buffer.from([0x08, 0xff, 0xff])]), 'truncated or oversized varint'],
    ['an unknown wire type', Buffer.concat([Buffer.from('k8s\0'), Buffer.from([0x0f])]), 'unsupported wire type 7'],
  ])('refuses %s', (_what, body, message) => {
    expect(() => decodeKubernetesProtobuf(body)).toThrow(new ProtobufError(message));
  });
});
