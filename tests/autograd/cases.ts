// Every gradcheck case, from the per-family tables.
import type { Case } from './inputs';
import { elementwiseCases } from './cases_elementwise';
import { shapeCases } from './cases_shape';
import { reduceCases } from './cases_reduce';
import { inplaceCases } from './cases_inplace';
import { nnCases } from './cases_nn';

export const ALL_CASES: Case[] = [...elementwiseCases, ...shapeCases, ...reduceCases, ...inplaceCases, ...nnCases];
