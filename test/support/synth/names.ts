// Invented combinations of common given names and surnames. Some are accented or non-ASCII on purpose, so that
// transliteration and username collisions get exercised downstream.
export const FIRST_NAMES = [
  'Oliver', 'Amelia', 'George', 'Isla', 'Noah', 'Ava', 'Arthur', 'Mia', 'Leo', 'Ivy', 'Oscar', 'Freya', 'Harry', 'Lily',
  'Jack', 'Grace', 'Charlie', 'Sophia', 'Theo', 'Poppy', 'Muhammad', 'Aisha', 'Finley', 'Evie', 'Alfie', 'Ella',
  'Thomas', 'Rosie', 'Joshua', 'Maya', 'Samuel', 'Hannah', 'Daniel', 'Emily', 'Reuben', 'Nia', 'Kwame', 'Priya',
  'Zoë', 'Chloé', 'Łukasz', 'Søren', 'Björn', 'Siân', 'Aoife', 'José', 'Renée', 'Anaïs', 'Jürgen', 'Małgorzata',
  'Ægir', 'Þóra', 'Niamh', 'Seán', 'Dóra', 'Ciarán', 'Eleni', 'Yusuf', 'Chiara', 'Matteo',
];
export const LAST_NAMES = [
  'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson', 'Wright',
  'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke', 'Hughes',
  'Edwards', 'Khan', 'Ahmed', 'Okafor', 'Mensah', 'Nowak', 'Kowalczyk', 'Müller', 'García', 'Ødegaard', 'Þórsson',
  'Strauß', "O'Brien", 'Ní Bhriain', 'Van der Berg', 'Łukasiewicz', 'Çelik', 'Dubois', 'Rossi', 'Nguyen', 'Singh',
];
export const MIDDLE_NAMES = ['James', 'Rose', 'Mae', 'Lee', 'Ann', 'John', 'Marie', 'Ali', 'Jo', 'Kate'];
export const SHORT_NAMES: Record<string, string> = {
  Oliver: 'Ollie', Samuel: 'Sam', Daniel: 'Dan', Thomas: 'Tom', Joshua: 'Josh', Charlie: 'Charles',
  Alfie: 'Alf', Hannah: 'Han', Małgorzata: 'Gosia', Muhammad: 'Mo', Eleni: 'Lena',
};
export const HOUSES = ['Brunel', 'Curie', 'Seacole', 'Turing'];
export const SUBJECTS: [code: string, name: string][] = [
  ['En', 'English'], ['Ma', 'Mathematics'], ['Sc', 'Science'], ['Hi', 'History'], ['Gg', 'Geography'], ['Fr', 'French'],
  ['Ar', 'Art'], ['Mu', 'Music'], ['Cs', 'Computing'], ['Ps', 'Psychology'], ['Ec', 'Economics'], ['Bi', 'Biology'],
];
