import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ipInCidrs, normalizeIp, parseCidrList, resolveClientIp } from './ip.js';

describe('normalizeIp', () => {
  test('IPv4-mapped IPv6, in dotted or hex form, becomes plain IPv4', () => {
    assert.equal(normalizeIp('::ffff:127.0.0.1'), '127.0.0.1');
    assert.equal(normalizeIp('::FFFF:203.0.113.9'), '203.0.113.9');
    assert.equal(normalizeIp('::ffff:7f00:1'), '127.0.0.1');
    assert.equal(normalizeIp('0:0:0:0:0:ffff:c000:0201'), '192.0.2.1');
  });

  test('IPv6 is compacted and lower-cased; brackets and zones are dropped', () => {
    assert.equal(normalizeIp('2001:0DB8:0000:0000:0000:0000:0000:0001'), '2001:db8::1');
    assert.equal(normalizeIp('[::1]'), '::1');
    assert.equal(normalizeIp('fe80::1%eth0'), 'fe80::1');
    assert.equal(normalizeIp(' 10.0.0.1 '), '10.0.0.1');
  });

  test('anything that is not a canonical address is null', () => {
    for (const bad of [undefined, null, '', 'localhost', '127.1', '0x7f.0.0.1', '256.0.0.1', '1.2.3', '1.2.3.4.5', '::ffff:999.0.0.1', 'a::b::c']) {
      assert.equal(normalizeIp(bad), null, String(bad));
    }
  });
});

describe('parseCidrList / ipInCidrs', () => {
  test('bare addresses are single hosts; IPv4-mapped ranges match IPv4 peers', () => {
    const list = parseCidrList(' 10.0.0.0/8, ::1/128 ,127.0.0.1,, ::ffff:192.168.0.0/112');
    assert.equal(list.length, 4);
    assert.equal(ipInCidrs('10.200.3.4', list), true);
    assert.equal(ipInCidrs('::ffff:10.1.1.1', list), true);
    assert.equal(ipInCidrs('11.0.0.1', list), false);
    assert.equal(ipInCidrs('::1', list), true);
    assert.equal(ipInCidrs('::2', list), false);
    assert.equal(ipInCidrs('127.0.0.1', list), true);
    assert.equal(ipInCidrs('127.0.0.2', list), false);
    assert.equal(ipInCidrs('192.168.255.255', list), true);
    assert.equal(ipInCidrs('192.169.0.0', list), false);
  });

  test('an empty list trusts nothing; a bad entry throws', () => {
    assert.equal(parseCidrList('').length, 0);
    assert.equal(ipInCidrs('127.0.0.1', parseCidrList('')), false);
    assert.equal(ipInCidrs('not an ip', parseCidrList('0.0.0.0/0')), false);
    for (const bad of ['10.0.0.0/33', 'nonsense', '10.0.0.0/8, fe80::/129']) assert.throws(() => parseCidrList(bad), bad);
  });

  test('legacy IPv4 forms are refused, as normalizeIp refuses them', () => {
    for (const bad of ['1.2.3', '127.1', '0x7f.1', '127.1/8']) assert.throws(() => parseCidrList(bad), bad);
  });
});

describe('resolveClientIp', () => {
  const trusted = parseCidrList('10.0.0.0/8, 127.0.0.1');

  test('with no trusted proxies the TCP peer is the client, whatever X-Forwarded-For says', () => {
    assert.equal(resolveClientIp('::ffff:198.51.100.7', '203.0.113.1', parseCidrList('')), '198.51.100.7');
  });

  test('X-Forwarded-For from an untrusted peer is ignored (spoofing)', () => {
    assert.equal(resolveClientIp('198.51.100.7', '10.0.0.5, 127.0.0.1', trusted), '198.51.100.7');
    assert.equal(resolveClientIp('198.51.100.7', ['1.1.1.1'], trusted), '198.51.100.7');
  });

  test('from a trusted peer, the right-most untrusted X-Forwarded-For entry is the client', () => {
    assert.equal(resolveClientIp('10.0.0.2', '203.0.113.9', trusted), '203.0.113.9');
    // The client itself wrote "1.2.3.4"; the first proxy appended the real peer.
    assert.equal(resolveClientIp('10.0.0.2', '1.2.3.4, 203.0.113.9, 10.0.0.3', trusted), '203.0.113.9');
    assert.equal(resolveClientIp('::ffff:10.0.0.2', ['1.2.3.4', '203.0.113.9, 10.9.9.9'], trusted), '203.0.113.9');
    assert.equal(resolveClientIp('127.0.0.1', '::ffff:203.0.113.9', trusted), '203.0.113.9');
  });

  test('a trusted peer without X-Forwarded-For, or with a malformed hop before any untrusted one, is the client', () => {
    assert.equal(resolveClientIp('10.0.0.2', undefined, trusted), '10.0.0.2');
    assert.equal(resolveClientIp('10.0.0.2', '203.0.113.9, garbage', trusted), '10.0.0.2');
    assert.equal(resolveClientIp('10.0.0.2', '', trusted), '10.0.0.2');
  });

  test('no usable peer is null', () => {
    assert.equal(resolveClientIp(undefined, '203.0.113.9', trusted), null);
    assert.equal(resolveClientIp('garbage', '203.0.113.9', trusted), null);
  });
});
