import type { RuleFamily } from '../types.js';
import { awsAccessKeyId, awsSecretAccessKey } from './access-keys.js';
import { awsBedrockApiKey, awsBedrockShortTermKey } from './bedrock.js';

export const aws: RuleFamily = {
  id: 'aws',
  rules: [awsAccessKeyId, awsSecretAccessKey, awsBedrockApiKey, awsBedrockShortTermKey],
};
