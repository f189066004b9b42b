package monzo

import "encoding/json"

// decodeKeepingRaw decodes data into v (whose type must not have its own
// UnmarshalJSON, to avoid recursion) and keeps a copy of data in *raw, so
// fields this package does not model are never lost.
func decodeKeepingRaw[T any, R ~[]byte](data []byte, v *T, raw *R) error {
	if err := json.Unmarshal(data, v); err != nil {
		return err
	}
	*raw = append(R(nil), data...)
	return nil
}
