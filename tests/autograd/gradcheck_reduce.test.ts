import { checkCases } from './run_cases';
import { reduceCases } from './cases_reduce';

checkCases(reduceCases);
