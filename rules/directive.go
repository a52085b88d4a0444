package rules

// directiveRules are the DA9xx rules: they are about dapilint's own
// directives (ignore comments and annotations), not about manifests. Package
// lint produces their findings while it applies the directives.
var directiveRules = []*Rule{UnusedIgnore, IgnoreUnknownRule, InvalidIgnore}
