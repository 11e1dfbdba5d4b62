package protocol

import (
	"slices"

	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivershared/util/sliceutil"

	"github.com/pyriver/pyriver/go/internal/apierr"
)

// MigrateRequest applies or rolls back River's migrations
// (migration.migrate).
type MigrateRequest struct {
	ClientRequest
	Direction     rivermigrate.Direction `json:"direction"`
	MaxSteps      *int                   `json:"max_steps"`
	TargetVersion *int                   `json:"target_version"`
}

// River translates Python's options to River's, checking them against the
// migrations River has (all) and those the database has applied. Python says
// target_version=0 for "remove River's schema", which River spells -1; an
// explicit max_steps must be at least 1 (River reads 0 as "default").
func (req *MigrateRequest) River(all, applied []rivermigrate.Migration) (*rivermigrate.MigrateOpts, error) {
	if req.Direction != rivermigrate.DirectionUp && req.Direction != rivermigrate.DirectionDown {
		return nil, apierr.Invalid("direction", "must be %q or %q", rivermigrate.DirectionUp, rivermigrate.DirectionDown)
	}
	opts := &rivermigrate.MigrateOpts{}
	if req.MaxSteps != nil {
		if *req.MaxSteps < 1 {
			return nil, apierr.Invalid("max_steps", "must be at least 1, got %d", *req.MaxSteps)
		}
		opts.MaxSteps = *req.MaxSteps
	}
	if req.TargetVersion == nil {
		return opts, nil
	}
	target := *req.TargetVersion
	down := req.Direction == rivermigrate.DirectionDown
	switch {
	case target == 0 && down:
		opts.TargetVersion = -1
	case target == 0:
		return nil, apierr.Invalid("target_version", "0 is only meaningful when migrating down")
	case !hasVersion(all, target):
		return nil, apierr.Invalid("target_version", "%d is not one of River's migration versions (%d to %d)", target, all[0].Version, all[len(all)-1].Version)
	case down && !hasVersion(applied, target):
		return nil, apierr.Invalid("target_version", "version %d is not applied, so it cannot be migrated down to", target)
	default:
		opts.TargetVersion = target
	}
	return opts, nil
}

// NeedsApplied reports whether River needs the applied versions to check
// the request (a target when migrating down).
func (req *MigrateRequest) NeedsApplied() bool {
	return req.Direction == rivermigrate.DirectionDown && req.TargetVersion != nil && *req.TargetVersion > 0
}

func hasVersion(migrations []rivermigrate.Migration, version int) bool {
	return slices.ContainsFunc(migrations, func(migration rivermigrate.Migration) bool { return migration.Version == version })
}

// MigratedVersions are the versions a migration applied or removed.
func MigratedVersions(result *rivermigrate.MigrateResult) []int {
	return sliceutil.Map(result.Versions, func(version rivermigrate.MigrateVersion) int { return version.Version })
}

// ValidateResult is rivermigrate.ValidateResult.
type ValidateResult struct {
	OK       bool     `json:"ok"`
	Messages []string `json:"messages"`
}

// NewValidateResult encodes River's result.
func NewValidateResult(result *rivermigrate.ValidateResult) *ValidateResult {
	return &ValidateResult{OK: result.OK, Messages: append([]string{}, result.Messages...)}
}

// Migration is one of River's migrations, its SQL, and whether it is applied.
type Migration struct {
	Version int    `json:"version"`
	Name    string `json:"name"`
	Applied bool   `json:"applied"`
	SQLUp   string `json:"sql_up"`
	SQLDown string `json:"sql_down"`
}

// NewMigrations lists River's migrations, marking the applied ones.
func NewMigrations(all, applied []rivermigrate.Migration) []Migration {
	return sliceutil.Map(all, func(migration rivermigrate.Migration) Migration {
		return Migration{
			Version: migration.Version, Name: migration.Name, Applied: hasVersion(applied, migration.Version),
			SQLUp: migration.SQLUp, SQLDown: migration.SQLDown,
		}
	})
}
