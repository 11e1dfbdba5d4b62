package dburl

import (
	"errors"
	"net/url"
	"regexp"
	"strings"

	"github.com/pyriver/pyriver/go/internal/apierr"
)

// The connection parameters whose values never appear in a message.
var (
	// key=value connection strings, and the same keys in a URL's query.
	secretKeyValue = regexp.MustCompile(`(?i)\b(?:password|sslpassword|passfile)\s*=\s*('(?:[^'\\]|\\.)*'|[^\s&#]*)`)
	// A URL's userinfo password, found even when the URL does not parse.
	secretUserinfo = regexp.MustCompile(`^[^:/?#]+://[^/?#@:]*:([^/?#@]*)@`)
)

const redacted = "xxxxx"

// secretsIn lists every secret a PostgreSQL URL or key=value connection
// string carries, as written and as decoded.
func secretsIn(connString string) []string {
	var secrets []string
	add := func(secret string) {
		secret = strings.Trim(secret, "'")
		if secret == "" {
			return
		}
		secrets = append(secrets, secret)
		if decoded, err := url.QueryUnescape(secret); err == nil && decoded != secret {
			secrets = append(secrets, decoded)
		}
	}
	if match := secretUserinfo.FindStringSubmatch(connString); match != nil {
		add(match[1])
	}
	for _, match := range secretKeyValue.FindAllStringSubmatch(connString, -1) {
		add(match[1])
	}
	return secrets
}

// redact replaces every secret of connString in text.
func redact(text, connString string) string {
	for _, secret := range secretsIn(connString) {
		text = strings.ReplaceAll(text, secret, redacted)
	}
	return text
}

// redactError keeps connString's secrets out of an error's message.
func redactError(err error, connString string) error {
	var apiErr *apierr.Error
	if errors.As(err, &apiErr) {
		clean := *apiErr
		clean.Message = redact(apiErr.Message, connString)
		return &clean
	}
	return apierr.New(apierr.Database, "%s", redact(err.Error(), connString))
}
