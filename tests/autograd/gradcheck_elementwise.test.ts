import { checkCases } from './run_cases';
import { elementwiseCases } from './cases_elementwise';

checkCases(elementwiseCases);
