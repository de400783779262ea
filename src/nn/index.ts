// torch.nn
export { Module, Parameter, type StateDict, type LoadResult } from './module';
export { Linear, Identity, Flatten, Dropout, Embedding, LayerNorm } from './layers';
export { ReLU, Sigmoid, Tanh, SiLU, GELU, LeakyReLU, Softmax, LogSoftmax } from './activation';
export { Sequential, ModuleList, ModuleDict } from './containers';
export { MSELoss, L1Loss, NLLLoss, CrossEntropyLoss, BCELoss, BCEWithLogitsLoss } from './loss_modules';
export * as functional from './functional';
export * as init from './init';
