import { describe, expect, it } from '@jest/globals';
import { metricValue, parseMetricsText } from './metrics-text.js';

describe('parseMetricsText', () => {
  it('reads names, labels (escaped) and values, skipping comments', () => {
    const samples = parseMetricsText(
      [
        '# HELP fasit_events_consumed_total events handled',
        '# TYPE fasit_events_consumed_total counter',
        'fasit_events_consumed_total{topic="naisd.instructions.v2",result="ok",service="naisd"} 3',
        'fasit_events_consumed_total{topic="a\\"b\\\\c\\nd",result="retried"} 1.5',
        'fasit_http_request_duration_seconds_bucket{le="+Inf"} 7',
        'fasit_up 1 1700000000000',
        'fasit_empty{} 2',
      ].join('\n'),
    );
    expect(samples).toEqual([
      { name: 'fasit_events_consumed_total', labels: { topic: 'naisd.instructions.v2', result: 'ok', service: 'naisd' }, value: 3 },
      { name: 'fasit_events_consumed_total', labels: { topic: 'a"b\\c\nd', result: 'retried' }, value: 1.5 },
      { name: 'fasit_http_request_duration_seconds_bucket', labels: { le: '+Inf' }, value: 7 },
      { name: 'fasit_up', labels: {}, value: 1 },
      { name: 'fasit_empty', labels: {}, value: 2 },
    ]);
    expect(metricValue(samples, 'fasit_events_consumed_total')).toBe(4.5);
    expect(metricValue(samples, 'fasit_events_consumed_total', { result: 'ok' })).toBe(3);
    expect(metricValue(samples, 'fasit_missing')).toBe(0);
  });

  it('reads NaN and Inf in any case, as Prometheus does (prom-client writes an idle gauge as Nan)', () => {
    const values = parseMetricsText(['a Nan', 'b NaN', 'c +Inf', 'd -inf', 'e Inf'].join('\n')).map((m) => m.value);
    expect(values).toEqual([Number.NaN, Number.NaN, Infinity, -Infinity, Infinity]);
  });

  it('refuses what is not the text format, naming the line', () => {
    expect(() => parseMetricsText('ok 1\n{a="b"} 2')).toThrow('metrics line 2: no metric name: {a="b"} 2');
    expect(() => parseMetricsText('x{a="b} 2')).toThrow('metrics line 1: unterminated label value');
    expect(() => parseMetricsText('x{a=b} 2')).toThrow('metrics line 1: malformed labels');
    expect(() => parseMetricsText('x 1,5')).toThrow('metrics line 1: not a number: x 1,5');
    expect(() => parseMetricsText('x nano')).toThrow('metrics line 1: not a number: x nano');
  });
});
