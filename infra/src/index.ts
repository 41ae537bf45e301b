export * from './pubsub-topology.js';
export * from './gcloud.js';
