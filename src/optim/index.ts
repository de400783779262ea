// torch.optim
export { Optimizer, type ParamGroup, type OptimizerStateDict } from './optimizer';
export { SGD, type SGDOptions } from './sgd';
export { Adam, AdamW, type AdamOptions } from './adam';
export { RMSprop, type RMSpropOptions } from './rmsprop';
export * as lrScheduler from './lr_scheduler';
