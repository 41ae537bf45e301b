// Publishes the agent's reports on naisd.status.reported.v1, signed with this environment's key so the
// dispatcher can check that the report comes from the agent of the environment it names.
import { Inject, Injectable } from '@nestjs/common';
import type { AgentReport, AgentReportV1, EventBus } from '@fasit/bus';
import { keyList } from '@fasit/config';
import { signReport } from '@fasit/domain';
import { NAISD_CONFIG, type NaisdConfig } from '../config/naisd.config.js';
import { EVENT_BUS } from '../naisd.tokens.js';

export const STATUS_TOPIC = 'naisd.status.reported.v1';

@Injectable()
export class ReportPublisher {
  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(NAISD_CONFIG) private readonly config: Pick<NaisdConfig, 'tenant' | 'environment' | 'agentKey'>,
  ) {}

  /** Builds, signs and publishes one report. `correlationId` (a diid) follows the change through the platform. */
  async publish(report: AgentReport, correlationId?: string): Promise<void> {
    const payload: AgentReportV1 = {
      version: 'v1',
      tenant: this.config.tenant,
      environment: this.config.environment,
      sentAt: new Date().toISOString(),
      report,
    };
    // EventBus.publish sends JSON.stringify(payload): the signature covers exactly those bytes.
    // With two keys (a rotation) the first signs: the dispatcher accepts either while the secrets rotate.
    const signature = signReport(keyList(this.config.agentKey)[0] ?? '', JSON.stringify(payload));
    await this.bus.publish(STATUS_TOPIC, payload, {
      ...(correlationId ? { correlationId } : {}),
      attributes: { tenant: this.config.tenant, environment: this.config.environment, signature },
    });
  }
}
