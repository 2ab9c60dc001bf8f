package common

import (
	"reflect"
	"testing"
)

// TestSharedTheme: one theme per background and NO_COLOR, equal to a
// freshly built one.
func TestSharedTheme(t *testing.T) {
	for _, dark := range []bool{false, true} {
		for _, noColor := range []bool{false, true} {
			a, b := SharedTheme(dark, noColor), SharedTheme(dark, noColor)
			if a != b {
				t.Errorf("dark=%v noColor=%v: two themes built", dark, noColor)
			}
			if a.IsDark != dark || a.NoColor != noColor {
				t.Errorf("dark=%v noColor=%v: got the theme for dark=%v noColor=%v", dark, noColor, a.IsDark, a.NoColor)
			}
			if !reflect.DeepEqual(a, NewTheme(dark, noColor)) {
				t.Errorf("dark=%v noColor=%v: differs from a fresh theme", dark, noColor)
			}
		}
	}
	if SharedTheme(true, false) == SharedTheme(false, false) {
		t.Error("dark and light share a theme")
	}
}
