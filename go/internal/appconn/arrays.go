package appconn

import (
	"strconv"
	"time"

	"github.com/lib/pq"
)

// arrayText formats the arrays of times and small integers River's
// statements pass through lib/pq's GenericArray, exactly as GenericArray
// would: GenericArray reaches each element by reflection and formats each
// time with time.Format, 7.6% of an insert_many's CPU in a profile. ok is
// false for anything else, left to lib/pq.
func arrayText(value any) (string, bool) {
	array, ok := value.(pq.GenericArray)
	if !ok {
		return "", false
	}
	switch elements := array.A.(type) {
	case []time.Time:
		if elements != nil {
			return timeArrayText(elements)
		}
	case []int16:
		if elements != nil {
			return int16ArrayText(elements), true
		}
	}
	return "", false
}

func int16ArrayText(elements []int16) string {
	text := make([]byte, 0, 2+len(elements)*3)
	text = append(text, '{')
	for i, element := range elements {
		if i > 0 {
			text = append(text, ',')
		}
		text = strconv.AppendInt(text, int64(element), 10)
	}
	return string(append(text, '}'))
}

// timeArrayText formats times at offset zero within years 1 to 9999 (what
// River passes: times in UTC), as lib/pq does with the layout
// "2006-01-02 15:04:05.999999999Z07:00"; false for any other time.
func timeArrayText(elements []time.Time) (string, bool) {
	text := make([]byte, 0, 2+len(elements)*len("2006-01-02 15:04:05.999999Z,"))
	text = append(text, '{')
	for i, element := range elements {
		year, month, day := element.Date()
		if _, offset := element.Zone(); offset != 0 || year < 1 || year > 9999 {
			return "", false
		}
		if i > 0 {
			text = append(text, ',')
		}
		hour, minute, second := element.Clock()
		text = appendDigits(text, year, 4)
		text = appendDigits(append(text, '-'), int(month), 2)
		text = appendDigits(append(text, '-'), day, 2)
		text = appendDigits(append(text, ' '), hour, 2)
		text = appendDigits(append(text, ':'), minute, 2)
		text = appendDigits(append(text, ':'), second, 2)
		text = appendFraction(text, element.Nanosecond())
		text = append(text, 'Z')
	}
	return string(append(text, '}')), true
}

// appendDigits appends value, which has at most width digits, in width
// digits, zero-padded.
func appendDigits(text []byte, value, width int) []byte {
	start := len(text)
	for range width {
		text = append(text, '0')
	}
	for at := len(text) - 1; at >= start && value > 0; at-- {
		text[at] = byte('0' + value%10)
		value /= 10
	}
	return text
}

// appendFraction appends ".999999999": nothing for zero nanoseconds, else
// nine digits without their trailing zeros.
func appendFraction(text []byte, nanoseconds int) []byte {
	if nanoseconds == 0 {
		return text
	}
	text = appendDigits(append(text, '.'), nanoseconds, 9)
	for text[len(text)-1] == '0' {
		text = text[:len(text)-1]
	}
	return text
}
