package source

import "sort"

// File returns the bytes of the file at path, nil when the snapshot has
// no such file or no longer holds its bytes (a loader drops the bytes of
// record files read without a problem).
func (s *Snapshot) File(path string) []byte {
	if s == nil {
		return nil
	}
	i := sort.Search(len(s.Files), func(i int) bool { return s.Files[i].Path >= path })
	if i < len(s.Files) && s.Files[i].Path == path {
		return s.Files[i].Data
	}
	return nil
}
