import { z } from 'zod';
import { AgentConnectionSchema, TestConnectionResponseSchema } from '../agent/agent-api';
import {
  AgentConnectionRequestSchema,
  AgentStatusRequestSchema,
  AgentStatusSchema,
  AgentTrustRequestSchema,
  AgentTrustSchema,
} from '../agent/agent-requests';
import { AppInfoRequestSchema, AppInfoSchema } from '../app-info';
import { ConnectionViewSchema } from '../connections/connection';
import { RenewCertificateReportSchema, RenewCertificateRequestSchema } from '../connections/expiry-renewal';
import {
  ConnectionByIdRequestSchema,
  ConnectionDeletedResponseSchema,
  ConnectionsExportRequestSchema,
  ConnectionsImportRequestSchema,
  ConnectionsListRequestSchema,
  ConnectionsListResponseSchema,
} from '../connections/requests';
import { ConnectionSaveRequestSchema } from '../connections/save-request';
import { TestHistoryRequestSchema, TestHistorySchema } from '../connections/test-history';
import { ConnectionsExportSchema, ImportReportSchema } from '../connections/transfer';
import {
  DiagnoseRequestSchema,
  DiagnoseResultSchema,
  DiagnosticsBundleRequestSchema,
  DiagnosticsBundleResultSchema,
} from '../diagnostics/diagnosis';
import {
  AdTestRequestSchema,
  AdTestResultSchema,
  AdTrustCertificateRequestSchema,
  OperationIdSchema,
} from '../directory/directory-test';
import { DiscoverRequestSchema, DiscoverResultSchema } from '../directory/discovery';
import { EndpointCheckRequestSchema, EndpointCheckResultSchema } from '../entra/endpoint-check';
import { SetupAppRequestSchema, SetupAppResultSchema } from '../entra/setup-app';
import {
  EntraListDomainsResultSchema,
  EntraTestRequestSchema,
  TenantTestResultSchema,
} from '../entra/tenant-test';
import {
  FleetRepairReportSchema,
  FleetRepairRequestSchema,
  FleetStatusRequestSchema,
  FleetStatusSchema,
} from '../fleet/fleet';
import {
  ChooseRoutesFileRequestSchema,
  ChooseRoutesFileResultSchema,
  SettingsSaveRequestSchema,
  SettingsViewSchema,
} from '../settings';
import { WeRegisterRequestSchema, WeRegisterResultSchema } from '../workflow-engine/routes';
import type { IpcChannel } from './channel-names';

export interface ChannelContract {
  request: z.ZodType;
  response: z.ZodType;
}

/** The single source of truth for IPC: one request and one response schema per channel. */
export const channelMap = {
  'app:info': { request: AppInfoRequestSchema, response: AppInfoSchema },
  'connections:list': { request: ConnectionsListRequestSchema, response: ConnectionsListResponseSchema },
  'connections:get': { request: ConnectionByIdRequestSchema, response: ConnectionViewSchema },
  'connections:save': { request: ConnectionSaveRequestSchema, response: ConnectionViewSchema },
  'connections:delete': { request: ConnectionByIdRequestSchema, response: ConnectionDeletedResponseSchema },
  'connections:export': { request: ConnectionsExportRequestSchema, response: ConnectionsExportSchema },
  'connections:import': { request: ConnectionsImportRequestSchema, response: ImportReportSchema },
  'ad:test': { request: AdTestRequestSchema, response: AdTestResultSchema },
  'ad:discoverControllers': { request: DiscoverRequestSchema, response: DiscoverResultSchema },
  'ad:trustCertificate': { request: AdTrustCertificateRequestSchema, response: ConnectionViewSchema },
  'entra:test': { request: EntraTestRequestSchema, response: TenantTestResultSchema },
  'entra:listDomains': { request: EntraTestRequestSchema, response: EntraListDomainsResultSchema },
  // Device-code sign-in and test in one: the code arrives as a progress event, operation:cancel stops it.
  'entra:startDeviceCode': { request: EntraTestRequestSchema, response: TenantTestResultSchema },
  // "Set up certificate sign-in for me": one admin sign-in, then app, grants, wait, connection, test (progress events).
  'entra:setupApp': { request: SetupAppRequestSchema, response: SetupAppResultSchema },
  'agent:status': { request: AgentStatusRequestSchema, response: AgentStatusSchema },
  'agent:update': { request: AgentConnectionRequestSchema, response: AgentConnectionSchema },
  'agent:test': { request: AgentConnectionRequestSchema, response: TestConnectionResponseSchema },
  // Pins only the certificate main itself is shown at host:port, and only if it is the one the admin confirmed.
  'agent:trustCertificate': { request: AgentTrustRequestSchema, response: AgentTrustSchema },
  'entra:checkEndpoints': { request: EndpointCheckRequestSchema, response: EndpointCheckResultSchema },
  // Renew certificate: addKey, sign-in with the new key, save, agents, removeKey; steps arrive as progress events.
  'entra:renewCertificate': {
    request: RenewCertificateRequestSchema,
    response: RenewCertificateReportSchema,
  },
  'settings:get': { request: z.strictObject({}), response: SettingsViewSchema },
  'settings:save': { request: SettingsSaveRequestSchema, response: SettingsViewSchema },
  // Main picks the path in its own Save dialog: no request names a file main writes.
  'settings:chooseRoutesFile': {
    request: ChooseRoutesFileRequestSchema,
    response: ChooseRoutesFileResultSchema,
  },
  'we:register': { request: WeRegisterRequestSchema, response: WeRegisterResultSchema },
  // The last 50 outcomes of a connection's tests, for the chart in its dialog.
  'connections:testHistory': { request: TestHistoryRequestSchema, response: TestHistorySchema },
  // Staged probe of one connection from this computer and, asked, from its Remote Agent's host (progress events).
  'diagnostics:run': { request: DiagnoseRequestSchema, response: DiagnoseResultSchema },
  // Main picks the zip's path in its own Save dialog: no request names the file.
  'diagnostics:exportBundle': {
    request: DiagnosticsBundleRequestSchema,
    response: DiagnosticsBundleResultSchema,
  },
  'fleet:status': { request: FleetStatusRequestSchema, response: FleetStatusSchema },
  // Names a domain and an action only: main finds the connection, its agent and the route itself.
  'fleet:repair': { request: FleetRepairRequestSchema, response: FleetRepairReportSchema },
  'operation:cancel': {
    // `cancels`, not `operationId`: a request's own operationId registers it as a cancellable operation.
    request: z.strictObject({ cancels: OperationIdSchema }),
    response: z.strictObject({ cancelled: z.boolean() }),
  },
} as const satisfies Record<IpcChannel, ChannelContract>;

export type RequestOf<C extends IpcChannel> = z.input<(typeof channelMap)[C]['request']>;
export type ParsedRequestOf<C extends IpcChannel> = z.output<(typeof channelMap)[C]['request']>;
export type ResponseOf<C extends IpcChannel> = z.output<(typeof channelMap)[C]['response']>;
