// gcloud commands that create a ConcreteTopology in a Google Cloud project (idempotent when re-run: an existing
// resource makes its command fail with ALREADY_EXISTS and the next one runs).
import type { ConcreteTopology } from './pubsub-topology.js';

export function gcloudCommands(topology: ConcreteTopology, project: string): string[] {
  const p = `--project=${project}`;
  const lines: string[] = [];
  for (const t of topology.topics) lines.push(`gcloud pubsub topics create ${t.name} ${p}`);
  for (const s of topology.subscriptions) {
    const args = [
      `gcloud pubsub subscriptions create ${s.name} ${p}`,
      `--topic=${s.topic}`,
      `--ack-deadline=${s.ackDeadlineSeconds}`,
      `--message-retention-duration=${s.messageRetentionDuration}`,
    ];
    if (s.retryPolicy) args.push(`--min-retry-delay=${s.retryPolicy.minimumBackoff}`, `--max-retry-delay=${s.retryPolicy.maximumBackoff}`);
    if (s.deadLetterTopic && s.deadLetterPolicy)
      args.push(`--dead-letter-topic=${s.deadLetterTopic}`, `--max-delivery-attempts=${s.deadLetterPolicy.maxDeliveryAttempts}`);
    if (s.neverExpire) args.push('--expiration-period=never');
    if (s.enableMessageOrdering) args.push('--enable-message-ordering');
    if (s.filter) args.push(`--message-filter='${s.filter}'`);
    lines.push(args.join(' '));
  }
  // Principals as placeholders: SERVICE_ACCOUNT_OF_<principal> (naisd's names its environment), to replace.
  const member = (principal: string) => `--member=serviceAccount:SERVICE_ACCOUNT_OF_${principal.replace(/[:/]/g, '_')}`;
  for (const b of topology.bindings)
    lines.push(
      'project' in b.resource
        ? `gcloud projects add-iam-policy-binding ${project} ${member(b.principal)} --role=${b.role}`
        : `gcloud pubsub subscriptions add-iam-policy-binding ${b.resource.subscription} ${p} ${member(b.principal)} --role=${b.role}`,
    );
  return lines;
}
