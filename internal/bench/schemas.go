package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// writeSchemas writes, for kubeconform offline, a standalone strict JSON
// schema for every kind of the Kubernetes OpenAPI (v2) document at
// swaggerPath, as openapi2jsonschema --expanded --kubernetes --stand-alone
// --strict makes them (references inlined, no additional properties,
// int-or-string as either, null allowed): dir/<kind>[-<group>]-<version>.json,
// the names kubeconform's {{.ResourceKind}}{{.KindSuffix}} asks for.
func writeSchemas(swaggerPath, dir string) error {
	data, err := os.ReadFile(swaggerPath)
	if err != nil {
		return err
	}
	var swagger struct {
		Definitions map[string]map[string]any `json:"definitions"`
	}
	if err := json.Unmarshal(data, &swagger); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	defs := swagger.Definitions
	var expand func(v any, stack map[string]bool) any
	expand = func(v any, stack map[string]bool) any {
		switch v := v.(type) {
		case []any:
			out := make([]any, len(v))
			for i, x := range v {
				out[i] = expand(x, stack)
			}
			return out
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				name := ref[strings.LastIndexByte(ref, '/')+1:]
				if stack[name] {
					return map[string]any{} // a recursive type
				}
				stack[name] = true
				defer delete(stack, name)
				return expand(defs[name], stack)
			}
			if v["format"] == "int-or-string" {
				return map[string]any{"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "integer"}}}
			}
			out := map[string]any{}
			for k, x := range v {
				switch k {
				case "properties":
					props := map[string]any{}
					for pk, pv := range x.(map[string]any) {
						props[pk] = expand(pv, stack)
					}
					out[k] = props
				case "items", "additionalProperties", "allOf", "oneOf", "anyOf":
					out[k] = expand(x, stack)
				default:
					out[k] = x
				}
			}
			if _, ok := out["properties"]; ok {
				if _, set := out["additionalProperties"]; !set {
					out["additionalProperties"] = false
				}
			}
			if t, ok := out["type"].(string); ok && t != "null" {
				out["type"] = []any{t, "null"}
			}
			return out
		}
		return v
	}
	written := 0
	for name, def := range defs {
		gvks, _ := def["x-kubernetes-group-version-kind"].([]any)
		for _, g := range gvks {
			gvk := g.(map[string]any)
			group, _ := gvk["group"].(string)
			version, _ := gvk["version"].(string)
			kind, _ := gvk["kind"].(string)
			suffix := "-" + version
			if group != "" {
				suffix = "-" + strings.Split(group, ".")[0] + suffix
			}
			schema := expand(def, map[string]bool{name: true}).(map[string]any)
			schema["$schema"] = "http://json-schema.org/schema#"
			out, err := json.Marshal(schema)
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, strings.ToLower(kind)+suffix+".json"), out, 0o644); err != nil {
				return err
			}
			written++
		}
	}
	fmt.Printf("wrote %d schemas to %s; use -kubeconform-schemas '%s'\n", written, dir, filepath.Join(dir, "{{.ResourceKind}}{{.KindSuffix}}.json"))
	return nil
}
