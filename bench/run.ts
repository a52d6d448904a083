import { agentBench } from './agent-bench';
import { agentTlsBench, printAgentTls } from './agent-tls-bench';
import { bundleBench } from './bundle-bench';
import { cliBench } from './cli-bench';
import { diagnosisBench, printDiagnosis } from './diagnosis-bench';
import { discoveryBench, hungDiscoveryBench } from './discovery-bench';
import { entraBench } from './entra-bench';
import { fleetBench } from './fleet-bench';
import { printTable } from './measure';
import { panelBench } from './panel-bench';
import { storeBench } from './store-bench';

// `npm run bench`: medians with ratios against a baseline measured in the same run. Not part of `npm test`.

const quick = process.argv.includes('--quick');
printTable('Connection store (shared/node/connections)', await storeBench(10_000, quick ? 5 : 15));
printTable(
  'Connections panel in Chromium (data arrival → first painted frame)',
  await panelBench(quick ? 3 : 7),
);
for (const table of await bundleBench(quick ? 3 : 7)) printTable(...table);
printTable('Domain controller discovery (shared/node/directory)', await discoveryBench(quick ? 3 : 7));
const hungDiscovery = await hungDiscoveryBench(quick ? 3 : 7);
printTable('Discovery of DCs that never answer, no Samba (shared/node/directory)', hungDiscovery.rows);
if (!hungDiscovery.met) process.exitCode = 1;
printTable(
  'Entra tenant test against the emulator (shared/node/entra)',
  (await entraBench(quick ? 5 : 15)).rows,
);
printTable('CLI start-up (bin.mjs)', await cliBench(quick ? 5 : 15));
printDiagnosis(await diagnosisBench(quick ? 5 : 15), printTable);
const agent = await agentBench(quick ? 5 : 10, quick ? 10 : 60);
printTable('Remote Agent on loopback (autocannon, 50 connections)', agent.rows, 'value');
printAgentTls(await agentTlsBench(quick ? 5 : 10));
printTable(
  'Fleet status: 50 Remote Agents × 20 domains on loopback (shared/node/fleet)',
  await fleetBench(quick ? 3 : 7),
);
const { soak } = agent;
const growth = ((soak.rssAfterKb - soak.rssBeforeKb) / soak.rssBeforeKb) * 100;
console.log(
  `\nSoak: ${soak.seconds} s at ${soak.connections} connections on TestConnection: ${soak.requests} requests, ${soak.errors} errors, ${soak.non2xx} non-2xx; agent RSS ${Math.round(soak.rssBeforeKb / 1024)} → ${Math.round(soak.rssAfterKb / 1024)} MiB (${growth.toFixed(1)} %, target < 20 %, zero errors)`,
);
