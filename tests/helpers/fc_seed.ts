// Property tests are reproducible: every fast-check property draws from one
// fixed seed, so CI replays the same generated cases run after run. To explore
// new cases, run with FC_SEED=random (the seed is printed) or FC_SEED=<number>.
import fc from 'fast-check';

const asked = process.env.FC_SEED;
const seed = asked === 'random' ? (Math.random() * 2 ** 31) | 0 : asked ? Number(asked) : 20261202;
if (asked === 'random') console.log(`fast-check seed: FC_SEED=${seed}`);
fc.configureGlobal({ seed });
