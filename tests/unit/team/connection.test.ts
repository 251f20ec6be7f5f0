import { describe, expect, it } from 'vitest';
import { parseManagedPolicy } from '~/lib/rules/policy';
import { teamConnection, teamSettingFrom, teamTokenProblems, teamUrlProblems } from '~/lib/team/connection';

const TOKEN = 'ctk_abcdefghijklmnopqrstuvwxyz0123456789_-AB';

describe('the team connection', () => {
  it('takes the address and token from Options → Team, without a trailing slash', () => {
    expect(teamConnection({ url: 'https://centric.example.com/', token: TOKEN }, {})).toEqual({ url: 'https://centric.example.com', token: TOKEN, from: 'options' });
  });

  it('lets the policy address win, with its token or else the one from Options', () => {
    const options = { url: 'https://mine.example.com', token: TOKEN };
    expect(teamConnection(options, { teamUrl: 'https://team.example.com' })).toEqual({ url: 'https://team.example.com', token: TOKEN, from: 'policy' });
    const other = `${TOKEN}x`;
    expect(teamConnection(options, { teamUrl: 'https://team.example.com', teamToken: other })?.token).toBe(other);
    expect(teamConnection(undefined, { teamUrl: 'https://team.example.com' })).toBeNull();
  });

  it('has no connection with an unusable address or token', () => {
    expect(teamConnection({ url: 'ftp://x.example.com', token: TOKEN }, {})).toBeNull();
    expect(teamConnection({ url: 'https://x.example.com', token: 'secret' }, {})).toBeNull();
    expect(teamSettingFrom({ url: 3, token: TOKEN })).toBeUndefined();
  });

  it('says what is wrong with an address or token, in words', () => {
    expect(teamUrlProblems('http://centric.example.com')[0]).toMatch(/https/);
    expect(teamUrlProblems('http://127.0.0.1:8787')).toEqual([]);
    expect(teamUrlProblems('https://centric.example.com/?token=1')[0]).toMatch(/without \? or #/);
    expect(teamUrlProblems('https://ana:pw@centric.example.com')[0]).toMatch(/user name/);
    expect(teamTokenProblems('')[0]).toMatch(/ctk_/);
    expect(teamTokenProblems('Bearer ctk_x')[0]).toMatch(/not a Centric token/);
    expect(teamTokenProblems(TOKEN)).toEqual([]);
  });

  it('reads teamUrl and teamToken from the managed policy, each standing on its own', () => {
    expect(parseManagedPolicy({ teamUrl: 'https://team.example.com', teamToken: TOKEN })).toEqual({ policy: { teamUrl: 'https://team.example.com', teamToken: TOKEN }, errors: [] });
    const broken = parseManagedPolicy({ teamUrl: 'ftp://team', teamToken: 'nope', lockRules: true });
    expect(broken.policy).toEqual({ lockRules: true });
    expect(broken.errors.join(' ')).toMatch(/teamUrl: .*ignored/);
    expect(broken.errors.join(' ')).toMatch(/teamToken: .*ignored/);
  });
});
