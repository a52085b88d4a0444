package rules

// runtimeRules are the DA2xx rules: what the API server accepts but goes
// wrong at runtime.
var runtimeRules = []*Rule{}
