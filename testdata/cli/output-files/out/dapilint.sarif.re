\{\n  "\$schema": "https://json\.schemastore\.org/sarif-2\.1\.0\.json",\n  "version": "2\.1\.0",.*"results": \[\n.*"ruleId": "DA004",.*"uri": "pod\.yaml",.*"ruleId": "DA202",.*"uri": "job\.yaml",.*
