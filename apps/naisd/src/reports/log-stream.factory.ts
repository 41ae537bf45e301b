// Opens a LogStreamer whose batches become `log` reports correlated by the instruction's diid.
import { Inject, Injectable } from '@nestjs/common';
import type { JsonLogger } from '@fasit/config';
import { NAISD_CONFIG, type NaisdConfig } from '../config/naisd.config.js';
import { NAISD_LOGGER } from '../naisd.tokens.js';
import { LogStreamer } from './log.streamer.js';
import { ReportPublisher } from './report.publisher.js';

@Injectable()
export class LogStreamFactory {
  constructor(
    @Inject(NAISD_CONFIG) private readonly config: Pick<NaisdConfig, 'logFlushIntervalMs'>,
    private readonly reports: ReportPublisher,
    @Inject(NAISD_LOGGER) private readonly logger: JsonLogger,
  ) {}

  open(diid: string): LogStreamer {
    return new LogStreamer((lines) => this.reports.publish({ type: 'log', diid, lines }, diid), {
      flushIntervalMs: this.config.logFlushIntervalMs,
      onError: (err) => this.logger.entry('warn', 'log batch not sent', { diid, error: err instanceof Error ? err.message : String(err) }),
    });
  }
}
