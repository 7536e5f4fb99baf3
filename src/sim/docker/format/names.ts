/**
 * Docker's random container names, as moby v20.10 pkg/namesgenerator/names-generator.go makes
 * them: `<left>_<right>` picked uniformly (108 adjectives x 236 surnames, the lists below
 * are that file's, in its order), never `boring_wozniak`, and on a retry (`retry > 0`) a single
 * random digit appended. daemon/names.go retries up to 6 times and then uses the short id.
 */

/** The adjectives (`left` in names-generator.go). */
export const LEFT: readonly string[] = [
  'admiring', 'adoring', 'affectionate', 'agitated', 'amazing', 'angry', 'awesome', 'beautiful', 'blissful',
  'bold', 'boring', 'brave', 'busy', 'charming', 'clever', 'cool', 'compassionate', 'competent',
  'condescending', 'confident', 'cranky', 'crazy', 'dazzling', 'determined', 'distracted', 'dreamy', 'eager',
  'ecstatic', 'elastic', 'elated', 'elegant', 'eloquent', 'epic', 'exciting', 'fervent', 'festive',
  'flamboyant', 'focused', 'friendly', 'frosty', 'funny', 'gallant', 'gifted', 'goofy', 'gracious', 'great',
  'happy', 'hardcore', 'heuristic', 'hopeful', 'hungry', 'infallible', 'inspiring', 'interesting',
  'intelligent', 'jolly', 'jovial', 'keen', 'kind', 'laughing', 'loving', 'lucid', 'magical', 'mystifying',
  'modest', 'musing', 'naughty', 'nervous', 'nice', 'nifty', 'nostalgic', 'objective', 'optimistic',
  'peaceful', 'pedantic', 'pensive', 'practical', 'priceless', 'quirky', 'quizzical', 'recursing', 'relaxed',
  'reverent', 'romantic', 'sad', 'serene', 'sharp', 'silly', 'sleepy', 'stoic', 'strange', 'stupefied',
  'suspicious', 'sweet', 'tender', 'thirsty', 'trusting', 'unruffled', 'upbeat', 'vibrant', 'vigilant',
  'vigorous', 'wizardly', 'wonderful', 'xenodochial', 'youthful', 'zealous', 'zen',
];

/** Notable scientists and hackers (`right` in names-generator.go). */
export const RIGHT: readonly string[] = [
  'albattani', 'allen', 'almeida', 'antonelli', 'agnesi', 'archimedes', 'ardinghelli', 'aryabhata', 'austin',
  'babbage', 'banach', 'banzai', 'bardeen', 'bartik', 'bassi', 'beaver', 'bell', 'benz', 'bhabha',
  'bhaskara', 'black', 'blackburn', 'blackwell', 'bohr', 'booth', 'borg', 'bose', 'bouman', 'boyd',
  'brahmagupta', 'brattain', 'brown', 'buck', 'burnell', 'cannon', 'carson', 'cartwright', 'carver', 'cerf',
  'chandrasekhar', 'chaplygin', 'chatelet', 'chatterjee', 'chebyshev', 'cohen', 'chaum', 'clarke', 'colden',
  'cori', 'cray', 'curran', 'curie', 'darwin', 'davinci', 'dewdney', 'dhawan', 'diffie', 'dijkstra', 'dirac',
  'driscoll', 'dubinsky', 'easley', 'edison', 'einstein', 'elbakyan', 'elgamal', 'elion', 'ellis',
  'engelbart', 'euclid', 'euler', 'faraday', 'feistel', 'fermat', 'fermi', 'feynman', 'franklin', 'gagarin',
  'galileo', 'galois', 'ganguly', 'gates', 'gauss', 'germain', 'goldberg', 'goldstine', 'goldwasser',
  'golick', 'goodall', 'gould', 'greider', 'grothendieck', 'haibt', 'hamilton', 'haslett', 'hawking',
  'hellman', 'heisenberg', 'hermann', 'herschel', 'hertz', 'heyrovsky', 'hodgkin', 'hofstadter', 'hoover',
  'hopper', 'hugle', 'hypatia', 'ishizaka', 'jackson', 'jang', 'jemison', 'jennings', 'jepsen', 'johnson',
  'joliot', 'jones', 'kalam', 'kapitsa', 'kare', 'keldysh', 'keller', 'kepler', 'khayyam', 'khorana',
  'kilby', 'kirch', 'knuth', 'kowalevski', 'lalande', 'lamarr', 'lamport', 'leakey', 'leavitt', 'lederberg',
  'lehmann', 'lewin', 'lichterman', 'liskov', 'lovelace', 'lumiere', 'mahavira', 'margulis', 'matsumoto',
  'maxwell', 'mayer', 'mccarthy', 'mcclintock', 'mclaren', 'mclean', 'mcnulty', 'mendel', 'mendeleev',
  'meitner', 'meninsky', 'merkle', 'mestorf', 'mirzakhani', 'moore', 'morse', 'murdock', 'moser', 'napier',
  'nash', 'neumann', 'newton', 'nightingale', 'nobel', 'noether', 'northcutt', 'noyce', 'panini', 'pare',
  'pascal', 'pasteur', 'payne', 'perlman', 'pike', 'poincare', 'poitras', 'proskuriakova', 'ptolemy',
  'raman', 'ramanujan', 'ride', 'montalcini', 'ritchie', 'rhodes', 'robinson', 'roentgen', 'rosalind',
  'rubin', 'saha', 'sammet', 'sanderson', 'satoshi', 'shamir', 'shannon', 'shaw', 'shirley', 'shockley',
  'shtern', 'sinoussi', 'snyder', 'solomon', 'spence', 'stonebraker', 'sutherland', 'swanson', 'swartz',
  'swirles', 'taussig', 'tesla', 'tharp', 'thompson', 'torvalds', 'tu', 'turing', 'varahamihira', 'vaughan',
  'visvesvaraya', 'volhard', 'villani', 'wescoff', 'wilbur', 'wiles', 'williams', 'williamson', 'wilson',
  'wing', 'wozniak', 'wright', 'wu', 'yalow', 'yonath', 'zhukovsky',
];

/** A uniform integer in [0, n): the engine passes its seeded generator. */
export type IntN = (n: number) => number;

/** GetRandomName(retry) of names-generator.go. */
export function randomName(intn: IntN, retry = 0): string {
  for (;;) {
    const name = `${LEFT[intn(LEFT.length)]}_${RIGHT[intn(RIGHT.length)]}`;
    if (name === 'boring_wozniak') continue; // Steve Wozniak is not boring
    return retry > 0 ? `${name}${intn(10)}` : name;
  }
}

/**
 * daemon/names.go generateNewName: tries GetRandomName(i) for i = 0..5 and takes the first
 * name not in use; after six failures the container's short id is its name.
 */
export function generateNewName(intn: IntN, inUse: (name: string) => boolean, shortId: string): string {
  for (let i = 0; i < 6; i++) {
    const name = randomName(intn, i);
    if (!inUse(name)) return name;
  }
  return shortId;
}
