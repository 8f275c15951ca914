// The shape of a dead-letter message: the original key and bytes untouched, and headers saying why and where from, so a
// record can be inspected, fixed and replayed into its source topic.
import type { DeadLetter } from './enrich.ts';

export interface DeadLetterMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export const DLQ_HEADERS = {
  reason: 'reason',
  detail: 'reason_detail',
  topic: 'source_topic',
  partition: 'source_partition',
  offset: 'source_offset',
} as const;

const MAX_DETAIL_CHARS = 1_000;

export function toDeadLetterMessage({ record, reason, detail }: DeadLetter): DeadLetterMessage {
  return {
    key: record.key,
    value: record.value,
    headers: {
      [DLQ_HEADERS.reason]: reason,
      [DLQ_HEADERS.detail]: detail.slice(0, MAX_DETAIL_CHARS),
      [DLQ_HEADERS.topic]: record.source.topic,
      [DLQ_HEADERS.partition]: String(record.source.partition),
      [DLQ_HEADERS.offset]: record.source.offset,
    },
  };
}
