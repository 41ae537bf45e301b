// Original file: ../../proto/fasit/management/v1/management.proto


export interface Label {
  'key'?: (string);
  'value'?: (string);
}

export interface Label__Output {
  'key': (string);
  'value': (string);
}
