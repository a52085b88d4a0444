package rules

import "github.com/dapilint/dapilint/loader"

// inputRules are the DA0xx rules. The loader finds these problems while it
// reads a file; the rules give them an ID, a severity and documentation.
var inputRules = []*Rule{YAMLSyntax, UnknownField, DuplicateKey, WrongType, InvalidQuantity, UnservedAPIVersion, RenderFailed, UnknownKind}

// ForProblem returns the rule that reports a loader problem.
func ForProblem(k loader.ProblemKind) *Rule {
	switch k {
	case loader.SyntaxError:
		return YAMLSyntax
	case loader.UnknownField:
		return UnknownField
	case loader.DuplicateKey:
		return DuplicateKey
	case loader.WrongType:
		return WrongType
	case loader.InvalidQuantity:
		return InvalidQuantity
	case loader.UnservedVersion:
		return UnservedAPIVersion
	case loader.UnknownKind:
		return UnknownKind
	}
	return YAMLSyntax
}
