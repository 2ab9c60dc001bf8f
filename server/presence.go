package server

import "cometterm/chat"

// Presence lives in the hub, not the store, so a status filter is applied
// here, over at most presenceScan rows.
const presenceScan = 10 * maxPerPage

// presenceWanted parses a status filter: filter is false when absent.
func presenceWanted(status string) (online, filter bool, err error) {
	switch status {
	case "":
		return false, false, nil
	case chat.StatusOnline, "available":
		return true, true, nil
	case chat.StatusOffline:
		return false, true, nil
	}
	return false, false, chat.FieldError("status", "The status must be available, online or offline.")
}

// pagePresence returns page want of the rows fetch yields, keeping only
// those whose presence matches when filter is set.
func pagePresence[T any](fetch func(chat.Page) ([]T, int, error), online func(T) bool,
	filter, wantOnline bool, want chat.Page) ([]T, int, error) {
	if !filter {
		return fetch(want)
	}
	var matched []T
	scan := chat.Page{PerPage: maxPerPage, Page: 1}
	for ; (scan.Page-1)*maxPerPage < presenceScan; scan.Page++ {
		rows, total, err := fetch(scan)
		if err != nil {
			return nil, 0, err
		}
		for _, r := range rows {
			if online(r) == wantOnline {
				matched = append(matched, r)
			}
		}
		if len(rows) == 0 || scan.Page*maxPerPage >= total {
			break
		}
	}
	from := min((want.Page-1)*want.PerPage, len(matched))
	to := min(from+want.PerPage, len(matched))
	return matched[from:to], len(matched), nil
}
