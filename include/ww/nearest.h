/* Nearest names for suggestions ("unknown field 'tll'; did you mean
 * 'ttl'?"). Used by the shell, crafting and filters alike. */
#ifndef WW_NEAREST_H
#define WW_NEAREST_H

/* Damerau-Levenshtein distance (optimal string alignment): a swapped pair
 * of letters counts once, as people mistype. Words longer than 63 bytes
 * are compared on their first 63. */
unsigned ww_edit_distance(const char *a, const char *b);

#endif
