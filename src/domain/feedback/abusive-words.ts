// Abusive words and phrases refused in feedback (DESIGN §4.6), as data. Written folded (no
// diacritics, lower case, đ -> d) because input is matched folded, on whole words. A Vietnamese
// entry that folds onto an ordinary word is left out or kept only as a phrase: "lon" (lớn), "cac"
// (các), "buoi" (buổi, bưởi), "du" (du lịch), "cut" (cụt) and "oc cho" (quả óc chó) are not here.
export const ABUSIVE_PHRASES: readonly string[] = Object.freeze([
  // Vietnamese
  'dit me',
  'dit con me',
  'dit cu',
  'du ma',
  'du me',
  'dcm',
  'dmm',
  'dkm',
  'vcl',
  'vkl',
  'vcc',
  'clgt',
  'cmm',
  'do ngu',
  'thang ngu',
  'con ngu',
  'ngu nhu cho',
  'do cho',
  'cho chet',
  'mat day',
  'khon nan',
  'suc vat',
  'oc lon',
  'thang mat day',
  // English
  'fuck',
  'fucking',
  'fucker',
  'motherfucker',
  'shit',
  'bullshit',
  'bitch',
  'asshole',
  'bastard',
  'cunt',
  'dickhead',
]);
