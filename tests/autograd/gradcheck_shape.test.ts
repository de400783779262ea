import { checkCases } from './run_cases';
import { shapeCases } from './cases_shape';

checkCases(shapeCases);
