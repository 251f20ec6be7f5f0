import { describe, expect, it } from 'vitest';
import { identityValues, originOf, permissionPatternFor, renderLookupUrl } from '../../../lib/sources';

describe('renderLookupUrl', () => {
  it('fills the placeholders, percent-encoding every value', () => {
    expect(renderLookupUrl('https://api.example.com/c/{email}?name={name}', { email: 'ann+vip@acme.com', name: 'Ann Lee & Co/2' })).toEqual({
      ok: true,
      url: 'https://api.example.com/c/ann%2Bvip%40acme.com?name=Ann%20Lee%20%26%20Co%2F2',
    });
  });

  it('a value cannot change the path or the host', () => {
    const result = renderLookupUrl('https://api.example.com/c/{id}', { id: '../../admin?x=1#@evil.example' });
    expect(result).toEqual({ ok: true, url: 'https://api.example.com/c/..%2F..%2Fadmin%3Fx%3D1%23%40evil.example' });
    if (result.ok) expect(new URL(result.url).host).toBe('api.example.com');
  });

  it('takes the domain from the email when the page shows none', () => {
    expect(renderLookupUrl('https://api.example.com/accounts/{domain}', { email: 'Ann@Acme.COM' })).toEqual({ ok: true, url: 'https://api.example.com/accounts/acme.com' });
    expect(renderLookupUrl('https://api.example.com/accounts/{domain}', { email: 'a@acme.com', domain: 'acme.org' })).toEqual({
      ok: true,
      url: 'https://api.example.com/accounts/acme.org',
    });
  });

  it('is not requested when every placeholder is missing', () => {
    expect(renderLookupUrl('https://api.example.com/c/{email}', { name: 'Ann' })).toEqual({ ok: false, reason: 'missing email', missing: ['email'] });
    expect(renderLookupUrl('https://api.example.com/c?email={email}&id={id}', { email: '  ', name: 'Ann' })).toEqual({
      ok: false,
      reason: 'missing email and id',
      missing: ['email', 'id'],
    });
  });

  it('a missing query value renders empty, a missing path value is not requested', () => {
    expect(renderLookupUrl('https://api.example.com/c?email={email}&id={id}', { id: 'C-7' })).toEqual({ ok: true, url: 'https://api.example.com/c?email=&id=C-7' });
    expect(renderLookupUrl('https://api.example.com/c/{id}?email={email}', { email: 'a@b.c' })).toEqual({ ok: false, reason: 'missing id', missing: ['id'] });
  });

  it('trims values and collapses spaces in names', () => {
    expect(identityValues({ email: ' a@b.co ', id: ' 7 ', name: '  Ann \n Lee ' })).toEqual({ email: 'a@b.co', domain: 'b.co', id: '7', name: 'Ann Lee' });
  });
});

describe('origins and permission patterns', () => {
  it('the origin of a URL, or undefined when it is not http(s)', () => {
    expect(originOf('https://API.example.com:8443/c/x?y=1')).toBe('https://api.example.com:8443');
    expect(originOf('https://api.example.com/c')).toBe('https://api.example.com');
    expect(originOf('javascript:alert(1)')).toBeUndefined();
    expect(originOf('not a url')).toBeUndefined();
  });

  it('asks for the host only, without port or path (Firefox patterns cannot hold a port)', () => {
    expect(permissionPatternFor('https://api.example.com/v1/customers/{email}?k=1')).toBe('https://api.example.com/*');
    expect(permissionPatternFor('http://localhost:8080/score/{id}')).toBe('http://localhost/*');
    expect(permissionPatternFor('local:scores.csv')).toBeUndefined();
  });
});
