import type { FaultScenario } from './types';

// Batch fault scenarios; the batch path contributes its own list here.
export const batchScenarios: FaultScenario[] = [];
