import { checkCases } from './run_cases';
import { nnCases } from './cases_nn';

checkCases(nnCases);
