import { checkCases } from './run_cases';
import { inplaceCases } from './cases_inplace';

checkCases(inplaceCases);
