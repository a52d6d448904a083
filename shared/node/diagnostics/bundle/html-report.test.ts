import { describe, expect, it } from 'vitest';
import type { DiagnoseResult } from '../../../common/diagnostics/diagnosis';
import { stageColours } from '../../../common/diagnostics/waterfall-layout';
import { directoryRefused, onlineBothSides } from './fixtures/diagnose-results';
import { diagnosisReportHtml } from './html-report';

const id = '6f1c3a52-8f0e-4a43-9b53-2f0b1b7c9d10';
const facts = {
  connectionName: 'Fabrikam',
  appName: 'Connection Utility',
  appVersion: '1.2.3',
  createdAt: '2030-01-02T03:04:05.000Z',
};

/** The markup without the text between tags: what a browser would act on. */
const tags = (html: string) => html.match(/<[^>]*>/g) ?? [];
const styleOf = (html: string) => /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';

/** Fails on anything that would run or fetch: scripts, handlers, links, embedded or remote resources. */
function expectInert(html: string) {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<(iframe|object|embed|img|link|image|use|a|form|base|foreignObject)\b/i);
  for (const tag of tags(html)) {
    expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
    expect(tag).not.toMatch(/\s(href|src|srcset|xlink:href|action|xmlns)\s*=/i);
    expect(tag).not.toMatch(/https?:|javascript:|data:/i);
  }
  expect(styleOf(html)).not.toMatch(/url\(|@import|https?:/i);
  expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
}

describe('diagnosisReportHtml', () => {
  it('draws both sides on one scale, outlines the first difference in both and says it in one sentence', () => {
    const html = diagnosisReportHtml(onlineBothSides(id), facts);
    expectInert(html);
    expect(html.match(/<svg class="waterfall"/g)).toHaveLength(3);
    expect(html).toContain('<h2>This computer</h2>');
    expect(html).toContain('<h2>Remote Agent host</h2>');
    expect(html).toContain('<h2>The Remote Agent, probed from this computer</h2>');
    // The difference: outlined in the two waterfalls of the sides, highlighted in their tables, and the sentence.
    expect(html.match(/<rect class="difference"/g)).toHaveLength(2);
    expect(html.match(/<tr class="difference">/g)).toHaveLength(2);
    expect(html).toContain('Works here, fails on the agent host at TLS');
    // One bar per stage, coloured by outcome with the window's colours.
    expect(html.match(/<rect class="bar /g)).toHaveLength(8 + 8 + 6);
    expect(html.match(/<rect class="bar fail"/g)).toHaveLength(1);
    expect(html).toContain(`svg .bar.fail{fill:${stageColours.fail.light}}`);
    expect(html).toContain(`svg .bar.fail{fill:${stageColours.fail.dark}}`);
    // The failure's message and next step under the failed stage; URLs appear only as text.
    expect(html).toContain('Error (entra.tlsUntrusted): The sign-in host&#39;s certificate is issued by');
    expect(html).toContain('Next step: Add the proxy’s CA to the agent');
  });

  it('draws the same stage at the same place on both sides: one time scale for the two', () => {
    const html = diagnosisReportHtml(onlineBothSides(id), facts);
    const tcpBars = [
      ...html.matchAll(/<rect class="bar ok" x="([\d.]+)" y="\d+" width="([\d.]+)"[^>]*><title>TCP 443/g),
    ];
    expect(tcpBars).toHaveLength(2);
    // Same start (8 ms) and length (20 ms) on both sides, though the sides took 490 and 130 ms in all.
    expect(tcpBars[0]?.slice(1)).toEqual(tcpBars[1]?.slice(1));
    expect(Number(tcpBars[0]?.[2])).toBeCloseTo((20 / 490) * 340, 0);
  });

  it('groups a domain controller’s stages under its name, with the warning or error under each', () => {
    const html = diagnosisReportHtml(directoryRefused(id), facts);
    expectInert(html);
    expect(html).toContain('<text class="group" x="4" y="');
    expect(html).toContain('dc1.contoso.test</text>');
    expect(html).toContain(
      'Error (ad.connectionRefused): dc1.contoso.test refused the connection on port 636.',
    );
    expect(html).toContain('host: dc1.contoso.test · port: 636');
    expect(html).not.toContain('Remote Agent host');
    expect(html).not.toContain('class="banner"');
  });

  it('escapes every text it shows: a hostile name, detail, error or connection name stays text', () => {
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';
    const result: DiagnoseResult = directoryRefused(id, 'evil.test');
    const [first, second] = result.thisComputer.stages;
    if (!first || !second) throw new Error('fixture changed');
    first.name = hostile;
    first.detail = `see https://example.test/?q=${hostile}`;
    second.group = hostile;
    second.error = {
      code: 'ad.hostNotFound',
      message: hostile,
      hint: hostile,
      detail: { [hostile]: hostile },
    };
    const html = diagnosisReportHtml(result, { ...facts, connectionName: hostile });
    expectInert(html);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;&amp;',
    );
  });
});
